"""What a lesson step runs: the registry of experiments, by the name a lesson file gives (``experiment = "..."``).

A new experiment is one ``Experiment`` subclass in one of these modules, one entry here, and, if its result is a new
kind, one drawing function in ``rnnviz/ui/lessons_view.DRAWERS``.
"""

from __future__ import annotations

from rnnviz.lessons.experiments.base import Experiment, config_code, run_headless
from rnnviz.lessons.experiments.comeback import (
    GenerationCost,
    GradientReach,
    ScanOrLoop,
    SelectiveCopy,
    TrainingSpeed,
)
from rnnviz.lessons.experiments.decay import DecayAtInit
from rnnviz.lessons.experiments.interventions import SwitchOff
from rnnviz.lessons.experiments.pretrained_models import (
    ClassifyReading,
    Directions,
    Negation,
    Neurons,
    Saturation,
    TagPair,
    Translate,
)
from rnnviz.lessons.experiments.training_runs import Classify, LanguageModels, MemoryTask, Seq2Seq, Tagging

EXPERIMENTS: dict[str, Experiment] = {
    experiment.key: experiment
    for experiment in (
        DecayAtInit(),
        MemoryTask(),
        LanguageModels(),
        Seq2Seq(),
        Tagging(),
        Classify(),
        Neurons(),
        Saturation(),
        SwitchOff(),
        Translate(),
        TagPair(),
        Directions(),
        ClassifyReading(),
        Negation(),
        TrainingSpeed(),
        GradientReach(),
        SelectiveCopy(),
        GenerationCost(),
        ScanOrLoop(),
    )
}

__all__ = ["EXPERIMENTS", "Experiment", "config_code", "run_headless"]

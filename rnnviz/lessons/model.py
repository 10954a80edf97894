"""What a lesson is: a few steps, each a short text, one experiment with only the controls it needs, and a question
the student answers before the run; then two or three check questions.

Plain frozen data, validated when built, so a lesson that breaks the rules (too long a step, no answer, a control
the experiment does not take) fails in the tests rather than in front of a class. The data comes from the lesson
files in ``content/`` (``catalogue.py`` reads them); the text here is the English, and ``catalogue.lesson_words``
gives any field in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rnnviz.lessons.experiments.base import Experiment

MAX_STEP_WORDS = 150


@dataclass(frozen=True, kw_only=True)
class AnswerRule:
    """The right answer read from what the run measured, for a question whose answer depends on the step's controls:
    the measured value falls in one of the intervals cut at ``below`` (ascending), and ``options[i]`` is the right
    option for interval ``i`` (by default interval i is option i)."""

    measure: str  # a name the step's experiment measures (``Experiment.measure``)
    row: int = 0  # which model of the result
    below: tuple[float, ...]
    options: tuple[int, ...] = ()

    def __post_init__(self):
        if list(self.below) != sorted(self.below):
            raise ValueError("answer_by.below must be ascending")
        if self.options and len(self.options) != len(self.below) + 1:
            raise ValueError("answer_by.options needs one option per interval: len(below) + 1")

    def option(self, value: float) -> int:
        interval = sum(value >= cut for cut in self.below)
        return self.options[interval] if self.options else interval


@dataclass(frozen=True, kw_only=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options: the right one at the step's default values
    why: str  # shown after the reveal, whatever the student chose
    answer_by: AnswerRule | None = None  # where the answer follows the controls: read from the run instead

    def __post_init__(self):
        if not 2 <= len(self.options) <= 5 or not 0 <= self.answer < len(self.options):
            raise ValueError(f"{self.prompt!r}: 2-5 options and an answer among them")
        if self.answer_by is not None and max(self.answer_by.options or [len(self.answer_by.below)]) >= len(
            self.options
        ):
            raise ValueError(f"{self.prompt!r}: answer_by names an option the question does not have")


@dataclass(frozen=True, kw_only=True)
class Control:
    """One setting a step lets the student change: a choice among ``options`` (the URL carries it as ``key``)."""

    key: str
    label: str
    options: tuple
    default: object
    help: str = ""

    def __post_init__(self):
        if self.default not in self.options:
            raise ValueError(f"control {self.key}: the default must be one of the options")

    def parse(self, raw: str):
        """A URL string as one of the options, or None when it is not one."""
        for option in self.options:
            if str(option) == raw:
                return option
        return None


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step. Its texts may name its values as ``{radius}`` (a control's or a param's): the page fills them in,
    so a question asks about the value the run uses (``fill``)."""

    key: str
    title: str
    text: str  # markdown, at most MAX_STEP_WORDS words
    latex: str = ""
    experiment: Experiment  # what the step runs (a lesson file names it; the catalogue resolves the name)
    params: dict = field(default_factory=dict)  # the experiment's fixed settings
    controls: tuple[Control, ...] = ()  # the settings the student may change (values merge into params)
    question: Question  # asked before the run

    def __post_init__(self):
        words = len(self.text.split())
        if words > MAX_STEP_WORDS:
            raise ValueError(f"step {self.key}: {words} words; at most {MAX_STEP_WORDS}")

    def right_answer(self, result: dict) -> int:
        """The right option for this run: read from what it measured where the question has an ``answer_by``
        rule (its answer follows the controls), else the fixed answer."""
        rule = self.question.answer_by
        if rule is None:
            return self.question.answer
        value = self.experiment.measure(result, rule.measure, rule.row)
        return self.question.answer if value is None else rule.option(value)  # None: a run too short to measure

    def values(self, chosen: dict | None = None) -> dict:
        """The experiment's parameters: the fixed ones, then each control's default or chosen value."""
        chosen = chosen or {}
        return {**self.params, **{c.key: chosen.get(c.key, c.default) for c in self.controls}}


@dataclass(frozen=True, kw_only=True)
class Lesson:
    key: str
    title: str
    summary: str
    minutes: int
    steps: tuple[Step, ...]
    checks: tuple[Question, ...]

    def __post_init__(self):
        if not 4 <= len(self.steps) <= 8:
            raise ValueError(f"lesson {self.key}: 4-8 steps")
        if not 2 <= len(self.checks) <= 3:
            raise ValueError(f"lesson {self.key}: 2-3 check questions")
        keys = [step.key for step in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"lesson {self.key}: step keys must differ")


PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")  # {radius}: a value the page fills in; other braces are text


def fill(text: str, values: dict) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced by the value as a person writes it (0.9, 3, not 3.0)."""

    def shown(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        return f"{value:g}" if isinstance(value, float) else str(value)

    return PLACEHOLDER.sub(shown, text)

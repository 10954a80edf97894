"""The lessons follow their rules, every experiment runs and reads, and each exports as a notebook that runs."""

import nbformat
import pytest
from helpers import tiny

from rnnviz.lessons.catalogue import LESSONS
from rnnviz.lessons.experiments import EXPERIMENTS, Experiment, run_headless
from rnnviz.lessons.model import MAX_STEP_WORDS, Control, Lesson, Question, Step
from rnnviz.lessons.notebook import SMALL_STEPS, lesson_notebook, small


def test_the_catalogue_has_five_lessons_that_keep_the_rules():
    assert len(LESSONS) >= 5
    for lesson in LESSONS.values():
        assert 4 <= len(lesson.steps) <= 8 and 2 <= len(lesson.checks) <= 3
        for step in lesson.steps:
            assert len(step.text.split()) <= MAX_STEP_WORDS
            assert isinstance(step.experiment, Experiment) and EXPERIMENTS[step.experiment.key] is step.experiment
            step.values()  # every control's default merges


def test_a_lesson_that_breaks_the_rules_is_refused():
    question = Question(prompt="?", options=("a", "b"), answer=0, why="because")
    decay = EXPERIMENTS["decay_at_init"]
    step = Step(key="s", title="t", text="short", experiment=decay, question=question)
    with pytest.raises(ValueError, match="4-8 steps"):
        Lesson(key="x", title="x", summary="x", minutes=1, steps=(step,), checks=(question, question))
    with pytest.raises(ValueError, match="at most"):
        Step(key="s", title="t", text="word " * (MAX_STEP_WORDS + 1), experiment=decay, question=question)
    with pytest.raises(ValueError, match="answer"):
        Question(prompt="?", options=("a", "b"), answer=2, why="")
    with pytest.raises(ValueError, match="default"):
        Control(key="r", label="r", options=(1, 2), default=3)
    assert Control(key="r", label="r", options=(0.5, 0.9), default=0.9).parse("0.5") == 0.5
    assert Control(key="r", label="r", options=(0.5, 0.9), default=0.9).parse("7") is None


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_every_step_of_a_tiny_lesson_runs_and_reads(key):
    for step in tiny(LESSONS[key]).steps:
        result = run_headless(step.experiment, step.values(), chunk_seconds=0.05)
        summary = step.experiment.summarise(result)
        assert isinstance(summary, str) and len(summary) > 10, step.key


def test_decay_experiment_reports_the_identity_rate():
    decay = EXPERIMENTS["decay_at_init"]
    result = run_headless(decay, {"variants": ("rnn-identity",), "radius": 0.7, "hidden_size": 16, "seq_len": 60})
    assert result["rows"][0]["decay per step"] == pytest.approx(0.7, rel=0.05)
    rate = result["rows"][0]["decay per step"]
    assert f"RNN, W_hh = 0.7 I: x{rate:.2f} per step" in decay.summarise(result)


def test_the_neuron_step_finds_the_quote_unit_of_the_pretrained_model():
    result = run_headless(EXPERIMENTS["neurons"], {"feature": "inside quotes"})
    assert abs(result["r"]) > 0.5 and len(result["values"]) == len(result["text"])
    assert all(-1 <= v <= 1 for v in result["values"])


def test_small_settings_cut_training_only():
    assert small({"steps": 1500, "eval_every": 50, "cells": ("rnn",)}) == {
        "steps": SMALL_STEPS,
        "eval_every": 50,
        "cells": ("rnn",),
    }
    assert small({"variants": ("LSTM",)}) == {"variants": ("LSTM",)}


def test_every_lesson_exports_a_valid_notebook_whose_code_runs(tmp_path):
    from nbclient import NotebookClient

    notebooks = {lesson.key: lesson_notebook(tiny(lesson)) for lesson in LESSONS.values()}
    for key, notebook in notebooks.items():
        nbformat.validate(notebook)
        assert len([cell for cell in notebook.cells if cell.cell_type == "code"]) == len(LESSONS[key].steps)
    # one kernel runs every lesson's cells in turn (a kernel per lesson cost 20 s more); each lesson's cells are
    # checked on their own, and each lesson's code imports what it uses, so none leans on another's
    together = nbformat.v4.new_notebook(cells=[cell for nb in notebooks.values() for cell in nb.cells])
    NotebookClient(
        together, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    for key, notebook in notebooks.items():
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
        printed = "".join(o.get("text", "") for cell in code for o in cell.outputs)
        assert not errors and printed, key


def controlled_steps():
    return [(lesson.key, step) for lesson in LESSONS.values() for step in lesson.steps if step.controls]


@pytest.mark.parametrize("key, step", controlled_steps(), ids=lambda v: getattr(v, "key", v))
def test_a_steps_answer_at_its_defaults_is_what_the_run_measures(key, step):
    result = run_headless(step.experiment, step.values())
    assert step.right_answer(result) == step.question.answer, (key, step.key)


# What each controlled step's run measures at its controls' ends, in the question's own words (the option text).
AT_THE_BOUNDS = {
    ("identity", 0.5): "less than a millionth",  # 0.5^50
    ("identity", 1.0): "more than 1%",  # r = 1 keeps it
    ("forget-bias", 0.0): "less than a millionth",  # PyTorch's default LSTM
    ("forget-bias", 5.0): "more than 1%",
    ("indentation", "indentation"): "yes",
    ("indentation", "position in line"): "yes",
}


@pytest.mark.parametrize("key, step", controlled_steps(), ids=lambda v: getattr(v, "key", v))
def test_a_controlled_steps_question_and_answer_follow_its_controls_to_their_bounds(key, step):
    from rnnviz.lessons.model import fill

    (control,) = step.controls
    for value in (control.options[0], control.options[-1]):
        values = step.values({control.key: value})
        result = run_headless(step.experiment, values)
        right = step.question.options[step.right_answer(result)]
        assert right == AT_THE_BOUNDS[(step.key, value)], (step.key, value, right)
        measured = step.experiment.measure(result, step.question.answer_by.measure, step.question.answer_by.row)
        assert measured is not None, (step.key, value)  # the lesson's own settings measure what the question asks
        if step.question.answer_by.measure == "left after 50 steps":  # the option's words hold for the figure
            assert (measured < 1e-6) == (right == "less than a millionth") and (measured > 0.01) == (
                right == "more than 1%"
            )
        texts = fill(step.question.prompt, values) + fill(step.text, values)
        assert "{" + control.key + "}" not in texts
        if "{" + control.key + "}" in step.question.prompt:  # the question asks about the value the run uses
            assert f"{value:g}" in fill(step.question.prompt, values)

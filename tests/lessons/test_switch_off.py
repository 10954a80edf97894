"""The "Correlation or cause?" step of "Inside an LSTM": the finder's quote unit switched off, the answer measured."""

import pytest

from rnnviz.lessons.catalogue import LESSONS
from rnnviz.lessons.experiments import EXPERIMENTS, run_headless


@pytest.fixture(scope="module")
def step_and_result():
    step = next(step for step in LESSONS["inside"].steps if step.key == "switch-off")
    return step, run_headless(step.experiment, step.values())


def test_the_step_switches_off_the_unit_the_finder_ranks_first(step_and_result):
    step, result = step_and_result
    neurons = run_headless(EXPERIMENTS["neurons"], {"feature": "inside quotes"})
    assert f"layer {result['layer']} {result['state']}[{result['unit']}]" in neurons["best"]
    assert result["r"] == pytest.approx(neurons["r"]) and result["exact"]
    untouched, clamped = result["rows"]
    assert result["change"] == pytest.approx(abs(clamped["p next"] - untouched["p next"]))
    assert len(result["before"]) == len(result["after"]) == len(result["labels"])
    assert untouched["continuation"] and clamped["continuation"]
    summary = step.experiment.summarise(result)
    assert f"{untouched['p next']:.2f} to {clamped['p next']:.2f}" in summary and "inside quotes" in summary


def test_the_right_answer_is_read_from_what_the_intervention_measured(step_and_result):
    step, result = step_and_result
    options = step.question.options
    right = options[step.right_answer(result)]
    assert right == ("yes: it moves by more than 0.1" if result["change"] >= 0.1 else "no: it stays within 0.1")
    assert right == options[step.question.answer]  # the fixed answer is what this model measures
    assert options[step.right_answer({**result, "change": 0.3})] == "yes: it moves by more than 0.1"
    assert options[step.right_answer({**result, "change": 0.02})] == "no: it stays within 0.1"

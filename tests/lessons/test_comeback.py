"""The lesson "Why attention won, and how recurrence came back": every right answer is read from what its run
measured (hand-made results that move the measurement move the answer; tiny real runs answer what their own
numbers imply), the selective copy race is fair (one seed, one set of batches, one parameter budget), and minGRU's
scan gives the loop's states."""

import pytest
from helpers import tiny

from rnnviz.labs.memory_task_lab import MemoryTaskLab
from rnnviz.lessons.catalogue import LESSONS
from rnnviz.lessons.experiments import EXPERIMENTS, run_headless
from rnnviz.lessons.experiments.comeback import CopyConfig, ReachConfig, gradient_reach

LESSON = LESSONS["comeback"]
STEPS = {step.key: step for step in LESSON.steps}


def answer(step_key: str, result: dict) -> str:
    step = STEPS[step_key]
    return step.question.options[step.right_answer(result)]


def speed_rows(speeds: list[float]) -> dict:
    step = STEPS["train-speed"]
    variants = step.experiment.config(step.values()).variants
    rows = [
        {"cell": cell, "label": cell, "mode": mode, "tokens_per_s": speed, "ratio_to_gru": None}
        for (cell, mode), speed in zip(variants, speeds, strict=True)
    ]
    return {"rows": rows}


def test_the_fastest_trainer_is_the_row_the_run_measured_fastest():
    assert answer("train-speed", speed_rows([5e4, 1e4, 4e3, 2e4, 3e4])) == "the fused LSTM"
    assert answer("train-speed", speed_rows([5e4, 1e4, 9e5, 2e4, 3e4])) == "minGRU, parallel scan"  # as on a GPU
    assert answer("train-speed", speed_rows([5e4, 1e4, 4e3, 2e4, 6e4])) == "the Transformer"
    assert answer("train-speed", speed_rows([5e4, 1e4, 4e3, 6e4, 3e4])) == "minGRU, step by step"


def test_the_gradient_question_follows_what_is_left_at_the_far_end():
    rows = [{"left": value} for value in (0.0, 0.0, 2e-54, 6e-4)]
    assert answer("reach", {"rows": rows}) == "the Transformer"
    rows = [{"left": value} for value in (0.0, 0.3, 2e-54, 6e-4)]  # an LSTM whose forget gates stayed open
    assert answer("reach", {"rows": rows}) == "the LSTM"


def test_the_selective_copy_answer_is_the_best_held_out_recall():
    def summary(accuracies):
        return {"summary": [{"accuracy": accuracy} for accuracy in accuracies]}

    assert answer("selective-copy", summary([0.13, 0.27, 0.14, 0.75])) == "the Transformer"
    assert answer("selective-copy", summary([0.13, 0.27, 0.99, 0.75])) == "the selective SSM"
    assert answer("selective-copy", summary([None, 0.2, None, None])) == "minGRU"
    step = STEPS["selective-copy"]
    assert step.right_answer(summary([None] * 4)) == step.question.answer  # nothing measured yet: the fixed answer


def test_the_cheapest_next_token_follows_the_measured_times():
    def rows(transformer_ms):
        times = {"lstm": 0.7, "mingru": 0.3, "transformer": transformer_ms}
        return {
            "position": 2000,
            "rows": [{"cell": cell, "seq_len": 2000, "ms_per_token": ms} for cell, ms in times.items()],
        }

    assert answer("generate", rows(31.0)) == "a recurrence (the LSTM or minGRU)"
    assert answer("generate", rows(0.31)) == "about the same"
    assert answer("generate", rows(0.1)) == "the Transformer (no cache)"


def test_the_scan_answer_follows_the_largest_difference():
    assert answer("scan", {"max_difference": 2.4e-7}) == "yes: the scan gives the loop's states, to float rounding"
    assert answer("scan", {"max_difference": 3e-3}) == "roughly: the two drift apart over a long sequence"


@pytest.fixture(scope="module")
def tiny_results():
    return {step.key: (step, run_headless(step.experiment, step.values(), 0.05)) for step in tiny(LESSON).steps}


def test_tiny_runs_answer_what_their_own_numbers_imply(tiny_results):
    step, result = tiny_results["train-speed"]
    speeds = [row["tokens_per_s"] for row in result["rows"]]
    assert len(speeds) == 5 and step.right_answer(result) == speeds.index(max(speeds))
    assert [row["ratio_to_gru"] for row in result["rows"]][1] == 1.0
    budgets = [row["parameters"] for row in result["rows"] if row["cell"] != "transformer"]
    assert max(budgets) / min(budgets) < 1.3  # one budget, as near as whole widths allow
    assert "175x" in step.experiment.summarise(result)

    step, result = tiny_results["reach"]
    left = [row["left"] for row in result["rows"]]
    assert step.right_answer(result) == left.index(max(left))
    assert result["inputs"] == ["Transformer"] and result["distance"] == 23

    step, result = tiny_results["selective-copy"]
    accuracies = [row["accuracy"] for row in result["summary"]]
    assert step.right_answer(result) == accuracies.index(max(accuracies))

    step, result = tiny_results["generate"]
    far = {row["cell"]: row["ms_per_token"] for row in result["rows"] if row["seq_len"] == 2000}
    ratio = far["transformer"] / min(far["lstm"], far["mingru"])
    expected = "the Transformer (no cache)" if ratio < 0.8 else "about the same" if ratio < 1.25 else "a recurrence"
    assert step.question.options[step.right_answer(result)].startswith(expected)

    step, result = tiny_results["scan"]
    assert result["max_difference"] < 1e-5 * max(1.0, result["largest_state"])
    assert step.right_answer(result) == 0 and len(result["per_step"]) == result["seq_len"]
    assert all(row["ms"] > 0 for row in result["rows"])


def test_the_selective_copy_race_is_fair():
    config = CopyConfig(length=8, hidden_size=8, steps=2, eval_every=1, batch_size=4)
    lab = MemoryTaskLab(config.task())  # same_budget: every cell as wide as a one-layer LSTM's parameters allow
    sizes = {size["cell"]: size["parameters"] for size in lab.sizes}
    assert list(sizes) == ["LSTM", "minGRU", "Selective SSM", "Transformer"]
    assert all(abs(n - lab.budget) <= 0.1 * lab.budget for n in sizes.values()), (sizes, lab.budget)
    for run in lab.runs:
        assert sum(p.numel() for p in run.model.parameters()) == sizes[run.cell]
        assert getattr(run.model.rnn, "parallel", False) is False  # the scan cells step through time here
    again = MemoryTaskLab(config.task())  # the same seed builds the same models
    for one, two in zip(lab.runs, again.runs, strict=True):
        assert all((a == b).all() for a, b in zip(one.model.parameters(), two.model.parameters(), strict=True))
    while not lab.finished:
        lab.advance(1.0)
    snapshot = lab.snapshot()
    assert snapshot["budget"] == lab.budget and len(snapshot["summary"]) == 4
    assert "Parameters: LSTM" in EXPERIMENTS["selective_copy"].summarise(snapshot)


def test_a_transformer_reaches_its_first_position_and_a_recurrence_halves_per_step():
    result = gradient_reach(ReachConfig(cells=("mingru", "transformer"), hidden_size=8, seq_len=41))
    mingru, transformer = result["rows"]
    assert mingru["measured"] == "hidden" and 0.3 < mingru["per step"] < 0.8  # its gate starts near one half
    assert transformer["measured"] == "input" and transformer["per step"] is None
    assert transformer["left"] > 1e3 * mingru["left"]


def test_class_mode_marks_the_steps_from_the_runs_it_stored(tiny_results):
    """Class mode keeps a run as JSON and reads the right answers back from it, by step key."""
    import json

    from rnnviz.lessons.class_questions import question_keys, right_answers

    stored = [json.loads(json.dumps(tiny_results[step.key][1])) for step in LESSON.steps]
    right = right_answers(LESSON, lambda index: stored[index])
    assert list(right) == question_keys(LESSON)
    for step in LESSON.steps:
        assert right[step.key] == step.right_answer(tiny_results[step.key][1])

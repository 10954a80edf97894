"""A lesson's questions as class mode names and marks them: one key per question, and its right answer.

A step's question is keyed by the step's key; the check questions at the end by ``check1``, ``check2``, ...
(the keys the lessons' content files give their texts). A step's right answer may follow what its run measured
(``Step.right_answer``), so it is known only once the teacher's run has finished; a check question's is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rnnviz.lessons.model import Lesson


def check_key(number: int) -> str:
    """The key of check question ``number`` (from 1)."""
    return f"check{number}"


def question_keys(lesson: Lesson) -> list[str]:
    """Every question of the lesson in order: its steps', then its checks'."""
    return [step.key for step in lesson.steps] + [check_key(n) for n in range(1, len(lesson.checks) + 1)]


def right_answers(lesson: Lesson, finished_result: Callable[[int], Mapping | None]) -> dict[str, int]:
    """Question key -> the right option, for every check and every step whose run has finished
    (``finished_result(step_index)`` gives the run's result, or None where the step has not been run)."""
    right: dict[str, int] = {}
    for index, step in enumerate(lesson.steps):
        result = finished_result(index)
        if result is not None:
            right[step.key] = step.right_answer(dict(result))
    for number, question in enumerate(lesson.checks, start=1):
        right[check_key(number)] = question.answer
    return right

"""A lesson as a Jupyter notebook (nbformat 4): its text and questions as markdown, and one code cell per step that
runs the step's experiment with the rnnviz library, at small settings so the whole notebook runs in seconds."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from rnnviz.lessons.model import Lesson, Question

SMALL_STEPS = 60  # live experiments train this many steps in the notebook (the lesson's own count is in the text)


def small(values: dict) -> dict:
    """The step's settings, with training cut to ``SMALL_STEPS`` steps and evaluation to match."""
    if "steps" not in values:
        return dict(values)
    steps = min(values["steps"], SMALL_STEPS)
    smaller = {**values, "steps": steps, "eval_every": min(values.get("eval_every", steps), steps)}
    if "eval_examples" in values:
        smaller["eval_examples"] = min(values["eval_examples"], 50)
    return smaller


def _question(question: Question) -> str:
    options = "\n".join(f"- {option}" for option in question.options)
    return f"**Predict first.** {question.prompt}\n\n{options}"


def lesson_notebook(lesson: Lesson) -> nbformat.NotebookNode:
    intro = (
        f"# {lesson.title}\n\n{lesson.summary}\n\nFrom rnnviz's Lessons page. Each code cell reruns one step's "
        "experiment with the `rnnviz` library (install the project first); the training steps are cut so the "
        "notebook runs in seconds."
    )
    cells = [new_markdown_cell(intro)]
    for number, step in enumerate(lesson.steps, start=1):
        values = step.values()
        text = f"## {number}. {step.title}\n\n{step.text}"
        if step.latex:
            text += f"\n\n$$\n{step.latex}\n$$"
        cells.append(new_markdown_cell(text + "\n\n" + _question(step.question)))
        note = ""
        if "steps" in values and values["steps"] > SMALL_STEPS:
            note = f"# The lesson trains {values['steps']} steps; this cell trains {SMALL_STEPS}.\n"
        experiment = step.experiment
        cells.append(new_code_cell(note + experiment.code(experiment.config(small(values)))))
        cells.append(
            new_markdown_cell(f"**Answer:** {step.question.options[step.question.answer]}. {step.question.why}")
        )
    checks = "\n\n".join(
        f"{n}. {q.prompt}\n\n" + "\n".join(f"   - {o}" for o in q.options) for n, q in enumerate(lesson.checks, 1)
    )
    cells.append(new_markdown_cell(f"## Check what you learned\n\n{checks}"))
    answers = "\n".join(f"{n}. {q.options[q.answer]}: {q.why}" for n, q in enumerate(lesson.checks, 1))
    cells.append(new_markdown_cell(f"<details><summary>Answers</summary>\n\n{answers}\n\n</details>"))
    notebook = new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    nbformat.validate(notebook)
    return notebook


def notebook_bytes(lesson: Lesson) -> bytes:
    return nbformat.writes(lesson_notebook(lesson)).encode()

"""What every lesson experiment is: one small object that turns a step's values into its config, starts it, reads
its result and writes it as notebook code.

A step's TOML names its experiment (``experiment = "decay_at_init"``); the catalogue resolves that name to the object
here when it loads the lesson, so the page follows ``step.experiment`` straight to the code that runs. An instant
experiment's ``start`` returns the result (a dict of plain data); a live one returns a ``LiveJob`` that the page
trains in the background, and the job's last snapshot is the result. ``kind`` names how the result is drawn:
``rnnviz/ui/lessons_view.DRAWERS`` holds one function per kind.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar


class Experiment:
    key: ClassVar[str]  # the name a lesson file uses
    kind: ClassVar[str]  # how the result is drawn (a key of ui/lessons_view.DRAWERS)
    live: ClassVar[bool] = False
    config_type: ClassVar[type]  # a frozen, kw_only dataclass: its repr is the notebook's config line
    imports: ClassVar[str]  # the notebook cell's import lines
    body: ClassVar[str]  # the notebook cell's lines after ``config = ...``: they run it and print the result

    def settings(self) -> set[str]:
        """The value names a step may set (its params and controls): the config's fields, unless ``config`` maps
        them itself. A lesson file naming any other fails at load, so a typo never silently runs the default."""
        return {f.name for f in dataclasses.fields(self.config_type)}

    def config(self, values: dict):
        """The config for a step's values (its fixed params merged with its controls); keys the config does not
        take are ignored, so a step may carry values only its text uses."""
        fields = {f.name for f in dataclasses.fields(self.config_type)}
        return self.config_type(**{key: value for key, value in values.items() if key in fields})

    def start(self, config) -> Any:
        """Instant: the result, a dict of plain data. Live: a ``LiveJob`` whose last snapshot is the result."""
        raise NotImplementedError

    def summarise(self, result: dict) -> str:
        """The sentence the page reveals beside the student's prediction (and ``bench/lessons.py`` prints)."""
        raise NotImplementedError

    def measure(self, result: dict, name: str, row: int = 0) -> float | None:
        """One number the result holds (``answer_by`` rules read the right answer from it): by default the
        column ``name`` of the result's ``rows[row]``; None where the run could not measure it (too short)."""
        value = result["rows"][row][name]
        return None if value is None else float(value)

    def code(self, config) -> str:
        """The same experiment as plain rnnviz in a notebook cell: the imports, the config as Python, the body."""
        return f"{self.imports.strip()}\n\nconfig = {config_code(config)}\n{self.body.strip()}"


def config_code(config) -> str:
    """A config dataclass as Python that rebuilds it (``repr`` of a dataclass is valid Python), one field a line."""
    fields = [f for f in dataclasses.fields(config) if f.repr]
    if not fields:
        return f"{type(config).__name__}()"
    lines = [f"    {f.name}={getattr(config, f.name)!r}," for f in fields]
    return f"{type(config).__name__}(\n" + "\n".join(lines) + "\n)"


def run_headless(experiment: Experiment, values: dict, chunk_seconds: float = 1.0) -> dict:
    """Run an experiment to its end without a page (benchmarks, tests): the result an instant experiment returns,
    or a live one's last snapshot."""
    outcome = experiment.start(experiment.config(values))
    if not experiment.live:
        return outcome
    while not outcome.finished:
        outcome.advance(chunk_seconds)
    return outcome.snapshot()

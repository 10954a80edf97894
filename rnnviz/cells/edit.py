"""A step's ``edit``: every gate and state of one step of a cell passes through ``edit(name, value)`` as soon as it
is computed, and the rest of the step goes on with what it returns.

So each cell's step is written once and serves twice: its step-by-step replay records every value through
``Record`` (an edit that changes nothing), and an intervention (``introspect/intervene.py``) holds one unit of one
value at a number through its own edit, the clamped value reaching the rest of the step and the steps after. The
classic cells' steps (``introspect/equations.py``) take the same ``Edit``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

Edit = Callable[[str, torch.Tensor], torch.Tensor]  # (gate or state name, its value) -> the value to go on with


def unchanged(name: str, value: torch.Tensor) -> torch.Tensor:
    """The edit of a plain step: every value goes on as it was computed."""
    return value


class Record:
    """An edit that changes nothing and keeps every value it sees, in the order the step first names them."""

    def __init__(self) -> None:
        self.values: dict[str, list[torch.Tensor]] = {}

    def __call__(self, name: str, value: torch.Tensor) -> torch.Tensor:
        self.values.setdefault(name, []).append(value)
        return value

    def stacked(self) -> dict[str, torch.Tensor]:
        """Each name's values over the steps, stacked along a time axis after the batch: (B, T, ...)."""
        return {name: torch.stack(values, dim=1) for name, values in self.values.items()}

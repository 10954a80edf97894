"""The one protocol every live lab implements, so one worker and one page helper drive them all.

A lab (``rnnviz.labs``) trains in time-boxed chunks: the background worker (``worker.py``) calls
``advance(seconds)`` again and again under a lock, and the page's fragment asks for a
``snapshot()`` of plain data (numbers, strings, lists, dicts: no tensors, no models) to draw from.
Nothing else of a lab is touched while it trains, so a page never holds the lock for longer than a
copy takes, and a chart never reads a model another thread is updating.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class LiveJob(Protocol):
    @property
    def finished(self) -> bool:
        """True once every variant has reached its last step (or diverged): the worker stops."""

    @property
    def progress(self) -> float:
        """How far along, in [0, 1]."""

    def advance(self, seconds: float) -> int:
        """Train for about ``seconds`` (at least one step unless finished); return the steps done."""

    def snapshot(self) -> dict:
        """Plain copies of everything the page draws; ``progress`` and ``progress_text`` always included."""

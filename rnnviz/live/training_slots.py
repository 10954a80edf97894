"""Take turns: at most a few runs train at once in one server process, first come first served.

Eight students pressing Start on a 2-core server would otherwise start eight training threads
that share two cores and one interpreter lock with every page the students click: each page then
waits for the lock behind eight busy threads, and the scheduler may starve a run for seconds.
With a few slots, the runs take turns in short chunks (``BackgroundTrainer.chunk_seconds``), in
the order they asked, so every run moves and a page click finds the interpreter free most of the
time. ``bench/load_test.py`` measures the effect.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque


class TrainingSlots:
    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError("at least one training slot is needed")
        self.slots = slots
        self._condition = threading.Condition()
        self._queue: deque = deque()  # tickets of the runs waiting, oldest first
        self._busy = 0

    @property
    def busy(self) -> int:
        return self._busy

    @property
    def waiting(self) -> int:
        return len(self._queue)

    @contextlib.contextmanager
    def turn(self):
        """Wait for a free slot in first-come order; hold it for the body of the ``with``."""
        ticket = object()
        with self._condition:
            self._queue.append(ticket)
            while self._busy >= self.slots or self._queue[0] is not ticket:
                self._condition.wait()
            self._queue.popleft()
            self._busy += 1
            self._condition.notify_all()  # the next in line may fit in another free slot
        try:
            yield
        finally:
            with self._condition:
                self._busy -= 1
                self._condition.notify_all()

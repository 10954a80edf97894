"""At most one snapshot a second to the class: the teacher's page polls its run more often than a class needs.

A run's snapshot is published when ``interval_s`` has passed since the last one, and always when the run ends
("finished" or "stopped"), so every viewer's last picture is the run's last state. The snapshots in between are
dropped, not queued: a viewer draws only the latest, so the database writes a row a second per class however fast
the teacher's page reruns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class SnapshotThrottle:
    """``offer(payload, status)`` publishes through ``publish(payload, status)`` (for instance ``lambda p, s:
    store.publish_snapshot(code, secret, step, p, s)``) when it is time; returns whether it did."""

    def __init__(
        self,
        publish: Callable[[Any, str], object],
        *,
        interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._publish = publish
        self._interval = interval_s
        self._clock = clock
        self._last: float | None = None
        self._ended = False

    def offer(self, payload: Any, status: str) -> bool:
        if self._ended:
            return False  # the run's end is published once; a stale rerun after it must not overwrite it
        now = self._clock()
        ending = status != "running"
        if not ending and self._last is not None and now - self._last < self._interval:
            return False
        self._publish(payload, status)
        self._last, self._ended = now, ending
        return True

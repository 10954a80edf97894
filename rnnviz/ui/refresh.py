"""How often a live chart redraws: every 0.7-1 s alone (each page sets its base), less often when runs share the server.

With n runs training through k training slots, each run trains about k/n of the time, so it has
about k/n as much new to show per tick while every tick still costs the server a full redraw of
its charts (and the browser a re-render). The interval grows with the queue, in steps of two so
that it changes rarely, and never beyond ``MAX_REFRESH_S``: the charts stay live.
"""

from __future__ import annotations

import math

from rnnviz.live.worker import TRAINING_SLOTS, running_count

MAX_REFRESH_S = 2.0


def refresh_seconds(base: float) -> float:
    share = max(1.0, running_count() / TRAINING_SLOTS.slots)
    factor = 2 ** math.ceil(math.log2(share))  # 1, 2, 4, ...
    return min(base * factor, max(base, MAX_REFRESH_S))

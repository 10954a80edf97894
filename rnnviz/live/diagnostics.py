"""What the server process holds right now: training threads, live models, memory.

A classroom server must give back what a closed tab used. These counts tell a teacher (home
page, "Server status") and the load test (bench/load_test.py) whether it does: after the
sessions close, no training thread and no model may remain. Resident memory can stay higher
than the counts suggest because glibc keeps freed pages in per-thread arenas; ``release_free_memory``
hands them back to the operating system, and the worker calls it when its thread ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from torch import nn

TRAINER_THREAD_NAME = "rnnviz-trainer"


@dataclass(frozen=True)
class ServerSnapshot:
    rss_mb: float
    threads: int
    training_threads: int
    live_models: int  # recurrent models (nn.RNNBase) still referenced anywhere in the process
    live_parameters_mb: float  # their weights, float32 bytes


def resident_mb() -> float:
    """Resident set size of this process from /proc (0 where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def snapshot(collect: bool = True) -> ServerSnapshot:
    """Count what is alive; ``collect`` first runs the garbage collector so cycles awaiting it don't count."""
    if collect:
        gc.collect()
    recurrent = [obj for obj in gc.get_objects() if issubclass(type(obj), nn.RNNBase)]  # type(): no lazy warnings
    parameter_bytes = sum(p.numel() * p.element_size() for module in recurrent for p in module.parameters())
    threads = threading.enumerate()
    return ServerSnapshot(
        rss_mb=round(resident_mb(), 1),
        threads=len(threads),
        training_threads=sum(t.name == TRAINER_THREAD_NAME for t in threads),
        live_models=len(recurrent),
        live_parameters_mb=round(parameter_bytes / 2**20, 2),
    )


def _libc():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


_LIBC = _libc()


MIN_TRIM_INTERVAL_S = 10.0  # a trim starts at least this long after the last one ended


def trim_when_collected(owner: object, delay_s: float = 1.0) -> None:
    """Return free memory to the OS shortly after ``owner`` (a session's run, a model) is garbage collected.

    Streamlit drops a closed session's state without telling the app; this hook is how its models' memory
    leaves the process's resident size rather than only glibc's free lists. Owners collected while a trim is due
    share it: a class's tabs closing together cost one full collection, not one each. A trim is a full
    collection of the whole process (a few tenths of a second of CPU on a server holding many sessions), so one
    starts at most every ``MIN_TRIM_INTERVAL_S``: sixty students leaving one by one cost a trim every ten
    seconds at most, not one each, and their memory still leaves within seconds.
    """
    weakref.finalize(owner, _trim_later, delay_s)


_TRIM_DUE = threading.Lock()  # held from a trim's scheduling until it starts
_LAST_TRIM_ENDED = [float("-inf")]  # time.monotonic() when the last trim ended


def trim_delay(delay_s: float, now: float, last_ended: float, min_interval_s: float) -> float:
    """Seconds from ``now`` until a trim asked for with ``delay_s`` may start: its delay, or longer where the last
    trim ended less than ``min_interval_s`` ago."""
    return max(delay_s, last_ended + min_interval_s - now)


def _trim_later(delay_s: float) -> None:
    # the lock, the clock and the trim as they are now: a trim already due keeps its own (tests swap them)
    due, last_ended, release = _TRIM_DUE, _LAST_TRIM_ENDED, release_free_memory
    if not due.acquire(blocking=False):
        return  # a trim is due already, and runs after this owner's buffers are freed too

    def trim() -> None:
        due.release()  # an owner collected from now on gets a trim of its own
        try:
            release()
        finally:
            last_ended[0] = time.monotonic()

    wait = trim_delay(delay_s, time.monotonic(), last_ended[0], MIN_TRIM_INTERVAL_S)
    timer = threading.Timer(wait, trim)  # after the owner's own buffers are freed
    timer.daemon = True
    timer.start()


def release_free_memory() -> bool:
    """Collect garbage, return glibc's free heap pages to the OS; False where malloc_trim is missing (musl, macOS)."""
    gc.collect()
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is None:
        return False
    trim(0)
    return True

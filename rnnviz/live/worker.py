"""A background thread that trains a ``LiveJob`` while the page only draws.

Training in the page's own fragment would leave the CPU idle between ticks and pay every
redraw out of training time. Here one daemon thread per run trains in short chunks under a
lock; the page polls ``snapshot()`` about once a second (``rnnviz.ui.live``). The thread makes no Streamlit calls. It
pauses itself when nobody has polled for ``idle_pause_s`` (a closed tab), and exits when it
has been paused for ``idle_exit_s``, so an abandoned session frees its CPU and, once Streamlit
drops the session, its memory.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import TypeVar

from rnnviz.limits import LIMITS
from rnnviz.live.diagnostics import TRAINER_THREAD_NAME, trim_when_collected
from rnnviz.live.job import LiveJob
from rnnviz.live.training_slots import TrainingSlots

T = TypeVar("T")

_LIVE: weakref.WeakSet = weakref.WeakSet()
TRAINING_SLOTS = TrainingSlots(LIMITS.training_slots)  # shared by every run in this process


@atexit.register
def _stop_all() -> None:
    """Let every worker finish its chunk before the interpreter goes (no torch op cut in half)."""
    for worker in list(_LIVE):
        worker.stop()


def lower_this_threads_priority() -> None:
    """Let page clicks run first: training is the one job on the server that can wait a moment.

    On Linux ``setpriority`` on a thread id renices that thread alone. When a click's script and a
    training step both want the core, the scheduler then gives the script most of it; when nobody
    clicks, training still gets everything. Elsewhere (or where renicing is not allowed) it is a no-op.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LIMITS.trainer_nice)
    except (AttributeError, OSError):
        pass


def running_count() -> int:
    """Runs training right now in this process (all sessions)."""
    return sum(worker.running for worker in list(_LIVE))


def steps_of_live_runs() -> list[int]:
    """Steps done so far (every cell counted) by each run whose thread is alive, oldest run first."""
    workers = sorted((w for w in list(_LIVE) if w.alive), key=lambda w: w.created)
    return [w.steps_done for w in workers]


class BackgroundTrainer:
    def __init__(
        self,
        job: LiveJob,
        chunk_seconds: float = 0.1,
        idle_pause_s: float | None = None,
        idle_exit_s: float | None = None,
    ):
        self.job = job
        self.chunk_seconds = chunk_seconds
        self.idle_pause_s = LIMITS.idle_pause_s if idle_pause_s is None else idle_pause_s
        self.idle_exit_s = LIMITS.idle_exit_s if idle_exit_s is None else idle_exit_s
        self.lock = threading.Lock()
        self.error: str | None = None
        self.auto_paused = False
        self._running = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_poll = time.monotonic()
        self.created = time.monotonic()
        self.steps_done = 0  # every cell's steps counted, as the job's advance() reports them
        self.settled = threading.Event()  # set when training stops by itself: finished, failed, paused for idleness
        self._chunk_done = threading.Condition()
        _LIVE.add(self)
        trim_when_collected(job)  # a dropped session's models leave the resident memory, not just the heap

    @property
    def running(self) -> bool:
        return self._running.is_set()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def stopped(self) -> bool:
        """Stopped for good by ``stop()`` (as opposed to paused)."""
        return self._stop.is_set()

    def snapshot(self) -> dict:
        """The job's plain-data snapshot, copied under the lock (a chunk in flight finishes first)."""
        with self.lock:
            return self.job.snapshot()

    def call(self, fn: Callable[[LiveJob], T]) -> T:
        """Run ``fn(job)`` while no chunk trains: for work that needs the weights as they stand (a checkpoint to
        download, a decode of the user's input, "Step N"). Pages go through ``rnnviz.ui.live``, never the lock."""
        with self.lock:
            return fn(self.job)

    def wait_for_steps(self, steps: int, timeout: float) -> bool:
        """Block until the job has reported at least ``steps`` steps (every cell counted); False on timeout."""
        with self._chunk_done:
            return self._chunk_done.wait_for(lambda: self.steps_done >= steps, timeout)

    def start(self) -> None:
        """Start (or resume) training in the background."""
        self.poll()
        self.auto_paused = False
        self.settled.clear()
        self._stop.clear()
        self._running.set()
        if not self.alive:
            self._thread = threading.Thread(target=self._loop, name=TRAINER_THREAD_NAME, daemon=True)
            self._thread.start()

    def pause(self) -> None:
        """Stop training after the chunk in flight; returns once no step is running."""
        self._running.clear()
        with self.lock:
            pass

    def stop(self) -> None:
        """Pause and end the thread."""
        self._stop.set()
        self.pause()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def poll(self) -> None:
        """Tell the worker somebody is watching."""
        self._last_poll = time.monotonic()

    def _loop(self) -> None:
        lower_this_threads_priority()
        paused_since = None
        while not self._stop.is_set():
            if not self._running.wait(timeout=0.2):
                paused_since = paused_since or time.monotonic()
                if time.monotonic() - paused_since > self.idle_exit_s:
                    return
                continue
            paused_since = None
            if time.monotonic() - self._last_poll > self.idle_pause_s:
                self.auto_paused = True
                self._running.clear()
                self.settled.set()
                continue
            with TRAINING_SLOTS.turn(), self.lock:
                if not self._running.is_set():
                    continue
                try:
                    done = self.job.advance(self.chunk_seconds) or 0
                except Exception as exc:  # a crash in training must reach the page, not kill it silently
                    self.error = f"{type(exc).__name__}: {exc}"
                    self._running.clear()
                    self.settled.set()
                    continue
                with self._chunk_done:
                    self.steps_done += done
                    self._chunk_done.notify_all()
                if self.job.finished:
                    self._running.clear()
                    self.settled.set()

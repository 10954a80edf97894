"""Release the state of sessions that can never come back.

Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` seconds so that a
network blip can reconnect to it. After that the session can no longer be resumed, but its state
(for us: trained models, optimizers, corpora) stays in memory until some later disconnect happens
to clean Streamlit's session store (streamlit/streamlit#12506). On a classroom server that is the
last lesson's models held all night. The janitor watches the sessions that own heavy state and,
once one has been gone for longer than the TTL, calls the release function it was given.

This module knows no Streamlit: the UI hands it ``is_active(session_id)`` and a release callback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

LOG = logging.getLogger(__name__)


@dataclass
class _Watched:
    release: Callable[[], None]
    last_active: float | None = None  # None until seen connected: a session never seen live is never released


class SessionJanitor:
    def __init__(
        self,
        is_active: Callable[[str], bool],
        ttl_s: float,
        sweep_every_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.is_active = is_active
        self.sweep_every_s = sweep_every_s
        # Gone longer than the TTL for sure: the last sighting may be up to one sweep before the disconnect.
        self.release_after_s = ttl_s + 2 * sweep_every_s
        self.clock = clock
        self._watched: dict[str, _Watched] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def watch(self, session_id: str, release: Callable[[], None]) -> None:
        """Watch a session that holds heavy state; the latest release function wins."""
        with self._lock:
            watched = self._watched.setdefault(session_id, _Watched(release))
            watched.release = release
        self._see(session_id, watched)

    def watching(self) -> list[str]:
        with self._lock:
            return list(self._watched)

    def _see(self, session_id: str, watched: _Watched) -> bool:
        if self.is_active(session_id):
            watched.last_active = self.clock()
            return True
        return False

    def sweep(self) -> list[str]:
        """Release every watched session gone for longer than the TTL; return their ids."""
        with self._lock:
            watched = list(self._watched.items())
        released = []
        for session_id, entry in watched:
            if self._see(session_id, entry) or entry.last_active is None:
                continue
            if self.clock() - entry.last_active > self.release_after_s:
                with self._lock:
                    self._watched.pop(session_id, None)
                entry.release()
                released.append(session_id)
        return released

    def start(self) -> None:
        """Sweep in a daemon thread, forever (one per process)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._loop, name="rnnviz-janitor", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            time.sleep(self.sweep_every_s)
            try:
                self.sweep()
            except Exception:  # noqa: BLE001 - a failed sweep must not end the janitor; the next one retries
                LOG.exception("session janitor: sweep failed")

"""Runs kept per browser, so a reload (a new Streamlit session) finds its run again.

Behind the shipped nginx (deploy/nginx.conf) every browser carries a random key in the ``rnnviz_replica`` cookie,
which also keeps it on one replica. A run started in a session is kept here under (that key, the run's key); the
session that a reload opens takes it over (``ui/live.get``). The janitor forgets a run once its last session is gone
for good. Without the cookie (no proxy in front) nothing is kept and a reload starts afresh.
"""

from __future__ import annotations

import threading
from typing import Any

import streamlit as st

CLIENT_COOKIE = "rnnviz_replica"
_KEPT: dict[tuple[str, str], Any] = {}  # (browser key, run key) -> the browser's LiveRun
_LOCK = threading.Lock()


def client_key() -> str | None:
    """This browser's key from the proxy's cookie, or None (no proxy in front, or AppTest)."""
    try:
        return st.context.cookies.get(CLIENT_COOKIE) or None
    except Exception:  # no browser request behind this script run (bare mode)
        return None


def keep(client: str, key: str, run: Any) -> None:
    with _LOCK:
        _KEPT[(client, key)] = run


def take(client: str, key: str, owner: str | None) -> Any | None:
    """The browser's run under ``key``, now owned by the session ``owner``; None if there is none."""
    with _LOCK:
        run = _KEPT.get((client, key))
        if run is not None:
            run.owner = owner
        return run


def forget(run: Any) -> None:
    """Drop a run from the kept runs (discarded, or its last session is gone for good)."""
    with _LOCK:
        for kept_key in [k for k, kept in _KEPT.items() if kept is run]:
            del _KEPT[kept_key]


def count() -> int:
    with _LOCK:
        return len(_KEPT)

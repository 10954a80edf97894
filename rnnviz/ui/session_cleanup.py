"""Connect the session janitor to Streamlit: free a closed tab's models once it can't come back."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from rnnviz.live.diagnostics import release_free_memory
from rnnviz.live.session_janitor import SessionJanitor
from rnnviz.live.worker import BackgroundTrainer
from rnnviz.ui import kept_runs

LOG = logging.getLogger(__name__)
_JANITOR: SessionJanitor | None = None
_JANITOR_LOCK = threading.Lock()


def _janitor() -> SessionJanitor:
    global _JANITOR
    with _JANITOR_LOCK:
        if _JANITOR is None:
            runtime = Runtime.instance()
            ttl = st.get_option("server.disconnectedSessionTTL")
            _JANITOR = SessionJanitor(runtime.is_active_session, ttl_s=float(ttl))  # thread-safe, says Streamlit
            _JANITOR.start()
        return _JANITOR


def release_session(session_id: str, state, media=None, forget: Callable[[Any], None] | None = None) -> None:
    """Stop the session's training threads, drop every value it holds and its download buttons' data.

    Runs in the janitor's thread, once the session is unreachable; each Streamlit call here is one that
    Streamlit documents as safe from any thread.
    """
    values = state.filtered_state
    LOG.warning("rnnviz: session %s is gone for good; freeing %d values of its state", session_id, len(values))
    for value in values.values():
        if getattr(value, "owner", None) not in (None, session_id):
            continue  # a LiveRun a reload's new session has taken over: it trains on there
        worker = value if isinstance(value, BackgroundTrainer) else getattr(value, "worker", None)  # a LiveRun
        if isinstance(worker, BackgroundTrainer):
            worker.stop()
        if forget is not None and hasattr(value, "worker"):
            forget(value)
    for key in values:
        try:
            del state[key]
        except KeyError:
            pass
    media = media or Runtime.instance().media_file_mgr  # deferred download callables hold the session's models
    media.clear_session_refs(session_id)
    media.remove_orphaned_files()
    release_free_memory()


def session_id() -> str | None:
    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.session_id


def watch_this_session() -> None:
    """Call where a session starts holding heavy state (a training run, an uploaded model)."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return
    state = ctx.session_state
    this_session = ctx.session_id
    _janitor().watch(this_session, lambda: release_session(this_session, state, forget=kept_runs.forget))


def session_trainer(job) -> BackgroundTrainer:
    """A background trainer for this session, whose state the janitor frees once the tab is gone for good."""
    watch_this_session()
    return BackgroundTrainer(job)

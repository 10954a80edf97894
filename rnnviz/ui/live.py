"""One helper that every live page uses: start, pause, resume, stop and reset a ``LiveJob``, and the
fragment that polls its snapshots.

A page keeps one ``LiveRun`` per experiment in ``st.session_state`` under a key no widget owns, so a run
survives a visit to another page, and behind the shipped nginx a reload too (``kept_runs.py``).
``control_bar`` draws the buttons; ``live_view`` draws a fragment that reruns every ``refresh_seconds``
while the job trains, asks the worker for a snapshot (a copy of plain data taken under the worker's
lock) and hands it to the page's ``draw`` function. Views never hold the lock and never touch a model;
work that needs the weights as they stand goes through ``call``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from rnnviz.charlm.model import ConfigError
from rnnviz.i18n import t
from rnnviz.live.job import LiveJob
from rnnviz.live.worker import BackgroundTrainer
from rnnviz.ui import kept_runs
from rnnviz.ui.refresh import refresh_seconds
from rnnviz.ui.session_cleanup import session_id, session_trainer, watch_this_session

STATUS_KEYS = ("running", "paused", "stopped", "finished", "failed")  # live.status.NAME in the catalogue


@dataclass
class LiveRun:
    """A job, the worker that trains it, and what to do each time training comes to rest."""

    job: LiveJob
    worker: BackgroundTrainer
    on_settle: Callable[[Any], None] | None = None  # called with the job, under the lock (publish models, say)
    owner: str | None = None  # the Streamlit session that holds it now (a reload's new session takes it over)

    @property
    def status(self) -> str:
        if self.worker.running:
            return "running"
        if self.worker.error:
            return "failed"
        if self.job.finished:
            return "finished"
        return "stopped" if self.worker.stopped else "paused"

    def settle(self) -> None:
        if self.on_settle is not None:
            self.worker.call(self.on_settle)


def get(key: str) -> LiveRun | None:
    """This session's run under ``key``; after a reload, the run this browser had, taken over (``kept_runs``)."""
    run = st.session_state.get(key)
    if run is not None:
        return run
    client = kept_runs.client_key()
    run = None if client is None else kept_runs.take(client, key, session_id())
    if run is not None:
        st.session_state[key] = run
        watch_this_session()  # the janitor frees it with this session now
    return run


def status(key: str) -> str:
    run = get(key)
    return "idle" if run is None else run.status


def create(key: str, job: LiveJob, on_settle: Callable[[Any], None] | None = None) -> LiveRun:
    """A run that has not started (``start`` it, or step it through ``call``); the old one under ``key`` ends."""
    discard(key)
    run = LiveRun(job, session_trainer(job), on_settle, owner=session_id())
    st.session_state[key] = run
    client = kept_runs.client_key()
    if client is not None:
        kept_runs.keep(client, key, run)
    return run


def start(key: str, job: LiveJob, on_settle: Callable[[Any], None] | None = None) -> LiveRun:
    run = create(key, job, on_settle)
    run.worker.start()
    return run


def discard(key: str) -> None:
    run = st.session_state.pop(key, None)
    if run is not None:
        run.worker.stop()
        kept_runs.forget(run)


def call(key: str, fn: Callable[[Any], Any]) -> Any:
    """``fn(job)`` with no training chunk in flight (a download's bytes, a decode of the user's input)."""
    run = get(key)
    return None if run is None else run.worker.call(fn)


def control_bar(
    key: str,
    starters: list[tuple],
    on_settle: Callable[[Any], None] | None = None,
    reset: bool = False,
    can_start: bool = True,
) -> None:
    """Start buttons (one per ``(button key, label, make_job)``, disabled unless ``can_start``; ``make_job`` may
    raise ``ConfigError``; a starter may add ``enabled`` and a ``help`` text: ``(key, label, make_job, enabled,
    help)``, Train's Rewind, which needs a last race),
    then Pause or Resume, Stop, and optionally Reset, in one row. Their keys drop the run key's ".run":
    ``train.run`` has ``train.pause``, ``train.resume``, ``train.stop``, ``train.reset``."""
    prefix = key.removesuffix(".run")
    run = get(key)
    state = "idle" if run is None else run.status
    columns = st.columns(len(starters) + 2 + int(reset))
    for index, (button_key, label, make_job, *options) in enumerate(starters):
        enabled = options[0] if options else True
        help_text = options[1] if len(options) > 1 else None
        if columns[index].button(
            label,
            type="primary" if index == 0 else "secondary",
            key=button_key,
            disabled=state == "running" or not can_start or not enabled,
            help=help_text,
        ):
            try:
                job = make_job()
            except ConfigError as exc:
                st.session_state[f"{key}.error"] = str(exc)
            else:
                st.session_state.pop(f"{key}.error", None)
                if job is not None:
                    start(key, job, on_settle)
            st.rerun()
    pause_column, stop_column = columns[len(starters)], columns[len(starters) + 1]
    if state == "running":
        if pause_column.button(t("live.pause"), key=f"{prefix}.pause"):
            run.worker.pause()
            run.settle()
            st.rerun()
    elif pause_column.button(t("live.resume"), key=f"{prefix}.resume", disabled=state != "paused"):
        run.worker.start()
        st.rerun()
    if stop_column.button(t("live.stop"), key=f"{prefix}.stop", disabled=state not in ("running", "paused")):
        run.worker.stop()
        run.settle()
        st.rerun()
    if reset and columns[-1].button(t("live.reset"), key=f"{prefix}.reset", disabled=run is None):
        discard(key)
        st.rerun()
    if st.session_state.get(f"{key}.error"):
        st.error(st.session_state[f"{key}.error"])


def live_view(key: str, draw: Callable[[dict, str], None], base_interval: float = 0.5) -> None:
    """A fragment that redraws ``draw(snapshot, status)`` while the job under ``key`` trains.

    The timer runs only while training; when the worker stops by itself (finished, failed, paused because
    nobody watched) the whole page reruns once so its buttons follow. On a busy server the interval grows
    (``refresh.py``) and the page reruns once to take up the new pace.
    """
    run = get(key)
    if run is None:
        return
    interval = refresh_seconds(base_interval) if run.worker.running else None

    @st.fragment(run_every=interval)
    def tick() -> None:
        run = get(key)  # read each tick, never captured: a closed session's janitor must be able to free it
        if run is None:
            return
        worker = run.worker
        worker.poll()
        if interval is not None and not worker.running:  # it came to rest since the page was drawn
            run.settle()
            st.rerun(scope="app")
        if interval is not None and refresh_seconds(base_interval) != interval:
            st.rerun(scope="app")
        snapshot = worker.snapshot()
        state = run.status
        if worker.error:
            st.error(t("live.crashed", error=worker.error))
        label = t(f"live.status.{state}") if state in STATUS_KEYS else ""
        st.progress(min(1.0, max(0.0, snapshot["progress"])), text=f"{label}: {snapshot['progress_text']}")
        draw(snapshot, state)
        worker.poll()  # drawing can take a while on a busy server: count it as watching
        if worker.auto_paused and state != "running":
            st.info(t("live.auto_paused"))

    tick()

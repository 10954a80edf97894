"""The Train page's controls and live views.

Training runs in a background thread (``rnnviz.worker``) that makes no Streamlit calls; a
fragment with ``run_every`` polls it (twice a second alone, less often on a shared server: refresh.py)
and redraws the views once per tick, so every other widget and page stays usable and the CPU keeps
training between redraws. All run state lives under keys no widget owns, so a run and its history
survive a visit to another page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.charts import grad_norm_chart, loss_chart
from rnnviz.checkpoint import checkpoint_bytes
from rnnviz.comparison import Comparison
from rnnviz.data import CorpusData
from rnnviz.model import ConfigError
from rnnviz.page_config import TrainPageConfig
from rnnviz.ui.corpus_picker import corpus_baselines
from rnnviz.ui.refresh import refresh_seconds
from rnnviz.ui.session_cleanup import session_trainer
from rnnviz.ui.state import register_model
from rnnviz.worker import BackgroundTrainer

RUN_KEY = "train.run"  # the Comparison
WORKER_KEY = "train.worker"  # its BackgroundTrainer
STATUS_KEY = "train.status"  # idle | running | paused | stopped | finished
TICK_SECONDS = 0.5


def status() -> str:
    return st.session_state.get(STATUS_KEY, "idle")


def _set_status(value: str) -> None:
    st.session_state[STATUS_KEY] = value


def _publish_models(run: Comparison) -> None:
    """Make this run's models available to the Inspect, Generate and Gradients pages."""
    for cell in run.runs:
        name = f"{cell.name} {cell.trainer.model.config.num_layers}x{cell.trainer.model.config.hidden_size}"
        register_model(name, cell.checkpoint(run.data))


def _worker() -> BackgroundTrainer | None:
    return st.session_state.get(WORKER_KEY)


def _discard_run() -> None:
    worker = _worker()
    if worker is not None:
        worker.stop()
    st.session_state.pop(WORKER_KEY, None)
    st.session_state.pop(RUN_KEY, None)


def _create(data: CorpusData, config: TrainPageConfig) -> Comparison | None:
    _discard_run()
    try:
        run = Comparison(data, config.comparison())
    except ConfigError as exc:
        st.session_state["train.error"] = str(exc)
        return None
    st.session_state.pop("train.error", None)
    st.session_state[RUN_KEY] = run
    st.session_state[WORKER_KEY] = session_trainer(run)
    return run


def _start(data: CorpusData, config: TrainPageConfig) -> None:
    if _create(data, config) is not None:
        _worker().start()
        _set_status("running")


def controls(data: CorpusData | None, config: TrainPageConfig) -> None:
    run: Comparison | None = st.session_state.get(RUN_KEY)
    state = status()
    cols = st.columns([1, 1, 1, 1, 1.4, 1])
    if cols[0].button("Start", type="primary", disabled=data is None or state == "running", key="train.start"):
        _start(data, config)
        st.rerun()
    if state == "running":
        if cols[1].button("Pause", key="train.pause"):
            _worker().pause()
            _set_status("paused")
            _publish_models(run)
            st.rerun()
    elif cols[1].button("Resume", disabled=state != "paused", key="train.resume"):
        _worker().start()
        _set_status("running")
        st.rerun()
    if cols[2].button("Stop", disabled=state not in ("running", "paused"), key="train.stop"):
        _worker().stop()
        _set_status("stopped")
        _publish_models(run)
        st.rerun()
    if cols[3].button("Reset", disabled=run is None, key="train.reset"):
        _discard_run()
        _set_status("idle")
        st.rerun()
    n = cols[4].number_input("Steps", 1, 1000, 10, key="train.step_n", label_visibility="collapsed")
    can_step = state != "running" and (run is not None or data is not None) and state != "stopped"
    if cols[5].button(f"Step {n}", disabled=not can_step, key="train.step"):
        if run is None:
            run = _create(data, config)
        if run is not None:
            with _worker().lock:
                run.step_each(int(n))
            _set_status("finished" if run.finished else "paused")
            _publish_models(run)
    if st.session_state.get("train.error"):
        st.error(st.session_state["train.error"])
    if state == "running" and run is not None:
        st.caption("Settings you change now apply to the next run (Reset, then Start).")


def snapshot(run: Comparison) -> dict:
    """Plain copies of everything the views draw (taken under the worker's lock, drawn outside it)."""
    return {
        "progress": run.progress,
        "min_step": min(cell.step for cell in run.runs),
        "max_steps": run.config.max_steps,
        "clip": run.config.train.clip_norm if run.config.train.clip else None,
        "summaries": [cell.summary() for cell in run.runs],
        "diverged": [(cell.name, cell.diverged) for cell in run.runs if cell.diverged],
        "samples": [(cell.name, cell.sample, cell.sample_step) for cell in run.runs],
        "charts": [
            {
                "name": cell.name,
                "steps": list(cell.steps),
                "losses": list(cell.losses),
                "grad_norms": list(cell.grad_norms),
                "val_steps": list(cell.val_steps),
                "val_losses": list(cell.val_losses),
                "diverged": cell.diverged,
            }
            for cell in run.runs
        ],
    }


def _views(run: Comparison, snap: dict, show_baselines: bool, bits: bool) -> None:
    label = {"running": "Training", "paused": "Paused", "stopped": "Stopped", "finished": "Finished"}.get(status(), "")
    st.progress(snap["progress"], text=f"{label}: {snap['min_step']:,} / {snap['max_steps']:,} steps")
    st.dataframe(pd.DataFrame(snap["summaries"]), hide_index=True, width="stretch", key="train.table")
    for name, reason in snap["diverged"]:
        st.error(f"{name} {reason}")
    baselines = corpus_baselines(run.data.sha256, run.data).as_lines() if show_baselines else None
    st.plotly_chart(loss_chart(snap["charts"], baselines, bits=bits), key="train.loss_chart", width="stretch")
    st.plotly_chart(grad_norm_chart(snap["charts"], snap["clip"]), key="train.grad_chart", width="stretch")
    st.markdown("**What each model writes now** (temperature 0.8)")
    for column, (name, sample, step) in zip(st.columns(len(snap["samples"])), snap["samples"]):
        column.caption(f"{name}, step {step:,}" if sample else f"{name}: no sample yet")
        if sample:
            column.code(sample, language=None, wrap_lines=True)
    worker = _worker()
    for column, cell in zip(st.columns(len(run.runs)), run.runs):

        def payload(cell=cell) -> bytes:
            with worker.lock:  # a consistent copy of weights the worker may be updating
                return checkpoint_bytes(cell.checkpoint(run.data))

        column.download_button(
            f"Save {cell.name} checkpoint",
            data=payload,
            file_name=f"{cell.name.lower().replace(' ', '-').replace('(', '').replace(')', '')}.safetensors",
            mime="application/octet-stream",
            on_click="ignore",
            key=f"train.download.{cell.name}",
        )


def live_section(show_baselines: bool, bits: bool) -> None:
    run: Comparison | None = st.session_state.get(RUN_KEY)
    if run is None:
        st.info("Pick a corpus and cells, then press Start.")
        return
    if show_baselines:
        corpus_baselines(run.data.sha256, run.data)  # counted once per corpus, here rather than inside a tick
    running = status() == "running"
    interval = refresh_seconds(TICK_SECONDS) if running else None

    @st.fragment(run_every=interval)
    def tick() -> None:
        run: Comparison | None = st.session_state.get(RUN_KEY)  # read each tick, never captured: see session_cleanup
        worker = _worker()
        if run is None:
            return
        if status() == "running" and worker is not None:
            worker.poll()
            if worker.error:
                st.error(f"Training stopped: {worker.error}")
            if not worker.running:  # finished, failed, or paused itself
                _set_status("finished" if run.finished else "paused")
                _publish_models(run)
                st.rerun(scope="app")  # stop the timer, update the buttons
            if refresh_seconds(TICK_SECONDS) != interval:
                st.rerun(scope="app")  # more or fewer runs share the server now: redraw at the new pace
        with worker.lock:
            snap = snapshot(run)
        _views(run, snap, show_baselines, bits)
        if worker is not None:
            worker.poll()  # drawing can take a while on a busy server: count it as watching
            if worker.auto_paused and status() != "running":
                st.info("This run paused itself because nobody was watching it; press Resume to go on.")

    tick()

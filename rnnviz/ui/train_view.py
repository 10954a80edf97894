"""The Train page's controls and live views.

Training runs in short, time-boxed chunks inside ``st.fragment(run_every=...)``: each tick
trains every live cell round-robin for about 0.3 s, then redraws the views once, so every
other widget and page stays usable. All run state lives under keys no widget owns, so a run
and its history survive a visit to another page.
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
from rnnviz.ui.state import register_model

RUN_KEY = "train.run"  # the Comparison
STATUS_KEY = "train.status"  # idle | running | paused | stopped | finished
TICK_SECONDS = 0.5
CHUNK_SECONDS = 0.3


def status() -> str:
    return st.session_state.get(STATUS_KEY, "idle")


def _set_status(value: str) -> None:
    st.session_state[STATUS_KEY] = value


def _publish_models(run: Comparison) -> None:
    """Make this run's models available to the Inspect, Generate and Gradients pages."""
    for cell in run.runs:
        name = f"{cell.name} {cell.trainer.model.config.num_layers}x{cell.trainer.model.config.hidden_size}"
        register_model(name, cell.checkpoint(run.data))


def _start(data: CorpusData, config: TrainPageConfig) -> None:
    try:
        st.session_state[RUN_KEY] = Comparison(data, config.comparison())
    except ConfigError as exc:
        st.session_state["train.error"] = str(exc)
        return
    st.session_state.pop("train.error", None)
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
            _set_status("paused")
            _publish_models(run)
            st.rerun()
    elif cols[1].button("Resume", disabled=state != "paused", key="train.resume"):
        _set_status("running")
        st.rerun()
    if cols[2].button("Stop", disabled=state not in ("running", "paused"), key="train.stop"):
        _set_status("stopped")
        _publish_models(run)
        st.rerun()
    if cols[3].button("Reset", disabled=run is None, key="train.reset"):
        st.session_state.pop(RUN_KEY, None)
        _set_status("idle")
        st.rerun()
    n = cols[4].number_input("Steps", 1, 1000, 10, key="train.step_n", label_visibility="collapsed")
    if cols[5].button(f"Step {n}", disabled=state == "running" or (run is None and data is None), key="train.step"):
        if run is None:
            _start(data, config)
            run = st.session_state.get(RUN_KEY)
            if run is None:
                st.rerun()
        run.step_each(int(n))
        _set_status("paused")
        _publish_models(run)
    if st.session_state.get("train.error"):
        st.error(st.session_state["train.error"])
    if state == "running" and run is not None:
        st.caption("Settings you change now apply to the next run (Reset, then Start).")


def _chart_data(run: Comparison) -> list[dict]:
    return [
        {
            "name": cell.name,
            "steps": list(cell.steps),
            "losses": list(cell.losses),
            "grad_norms": list(cell.grad_norms),
            "val_steps": cell.val_steps,
            "val_losses": cell.val_losses,
            "diverged": cell.diverged,
        }
        for cell in run.runs
    ]


def _views(run: Comparison, show_baselines: bool, bits: bool) -> None:
    label = {"running": "Training", "paused": "Paused", "stopped": "Stopped", "finished": "Finished"}.get(status(), "")
    st.progress(run.progress, text=f"{label}: {min(c.step for c in run.runs):,} / {run.config.max_steps:,} steps")
    table = pd.DataFrame([cell.summary() for cell in run.runs])
    st.dataframe(table, hide_index=True, width="stretch", key="train.table")
    for cell in run.runs:
        if cell.diverged:
            st.error(f"{cell.name} {cell.diverged}")
    baselines = corpus_baselines(run.data.sha256, run.data).as_lines() if show_baselines else None
    data = _chart_data(run)
    st.plotly_chart(loss_chart(data, baselines, bits=bits), key="train.loss_chart", width="stretch")
    clip = run.config.train.clip_norm if run.config.train.clip else None
    st.plotly_chart(grad_norm_chart(data, clip), key="train.grad_chart", width="stretch")
    st.markdown("**What each model writes now** (temperature 0.8)")
    columns = st.columns(len(run.runs))
    for column, cell in zip(columns, run.runs):
        column.caption(f"{cell.name}, step {cell.sample_step:,}" if cell.sample else f"{cell.name}: no sample yet")
        if cell.sample:
            column.code(cell.sample, language=None, wrap_lines=True)
    download_columns = st.columns(len(run.runs))
    for column, cell in zip(download_columns, run.runs):
        column.download_button(
            f"Save {cell.name} checkpoint",
            data=lambda cell=cell: checkpoint_bytes(cell.checkpoint(run.data)),
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
    running = status() == "running"

    @st.fragment(run_every=TICK_SECONDS if running else None)
    def tick() -> None:
        if status() == "running":
            run.advance(CHUNK_SECONDS)
            if run.finished:
                _set_status("finished")
                _publish_models(run)
                _views(run, show_baselines, bits)
                st.rerun(scope="app")  # stop the timer
        _views(run, show_baselines, bits)

    tick()

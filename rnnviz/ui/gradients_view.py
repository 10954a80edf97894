"""The Gradients page: gradient decay at initialisation and in training, and long-memory tasks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.charts_lab import gradient_decay_chart, sweep_chart, task_chart
from rnnviz.comparison import CELL_CHOICES, Comparison, ComparisonConfig
from rnnviz.corpora import load_corpus
from rnnviz.data import CorpusData
from rnnviz.gradient_lab import describe_decay, gradflow_at_init, measure_gradient_flow
from rnnviz.initialization import INIT_SCHEMES, InitConfig
from rnnviz.model import ConfigError
from rnnviz.task_lab import TaskComparison, TaskConfig, TaskSweep
from rnnviz.tasks import TASKS
from rnnviz.trainer import TrainConfig
from rnnviz.ui.refresh import refresh_seconds
from rnnviz.ui.session_cleanup import session_trainer
from rnnviz.worker import BackgroundTrainer

TASK_NOTES = {
    "adding": "Two marked numbers among T; predict their sum. Guessing 1.0 scores MSE 0.167.",
    "order": "Two marked symbols X/Y among noise; classify their order. Chance is 25%.",
    "copy": "Remember 10 symbols over T blanks. Hard on a CPU: within minutes all cells stay near the baseline.",
    "dyck": "A walk of '(' and ')'; classify the nesting depth at the end (needs counting over the whole sequence).",
}


def mechanism_controls() -> tuple[list[str], dict]:
    c1, c2, c3 = st.columns(3)
    cells = c1.multiselect("Cells", list(CELL_CHOICES), default=["RNN (tanh)", "LSTM", "GRU"], key="grad.cells")
    hidden = c2.slider("Hidden size", 8, 256, 128, 8, key="grad.hidden")
    seq_len = c3.slider("Sequence length", 10, 300, 100, 10, key="grad.seq")
    c4, c5, c6 = st.columns(3)
    scheme = c4.selectbox("W_hh initialisation", INIT_SCHEMES, key="grad.init")
    set_radius = c5.checkbox("Set the spectral radius", key="grad.set_radius")
    radius = c5.slider("Spectral radius of W_hh", 0.5, 1.5, 1.0, 0.05, key="grad.radius", disabled=not set_radius)
    seed = c6.number_input("Seed", 0, 10_000, 0, key="grad.seed")
    c7, c8, c9 = st.columns(3)
    forget = c7.slider("LSTM forget-gate bias", -2.0, 5.0, 0.0, 0.5, key="grad.forget",
                       help="0 leaves PyTorch's default (gates near 0.5); 3 keeps them near 0.95.")  # fmt: skip
    update = c8.slider("GRU update-gate bias", -2.0, 5.0, 0.0, 0.5, key="grad.update")
    chrono = c9.checkbox("Chrono initialisation (Tallec & Ollivier 2018)", key="grad.chrono",
                         help="Gate biases log(U[1, T-1]): memory time scales up to the sequence length.")  # fmt: skip
    init = InitConfig(
        scheme, radius if set_radius else None, forget or None, update or None, seq_len if chrono else None
    )
    return cells, {"hidden": hidden, "seq_len": seq_len, "init": init, "seed": int(seed)}


def decay_at_init(cells: list[str], settings: dict) -> None:
    series, rows = {}, []
    for name in cells:
        cell, nonlinearity = CELL_CHOICES[name]
        result = gradflow_at_init(cell, settings["hidden"], settings["seq_len"], settings["init"], nonlinearity,
                                  settings["seed"])  # fmt: skip
        series[name] = result.relative_by_distance
        rows.append({
            "cell": name, "decay per step": result.decay_per_step,
            "what it means": describe_decay(result.decay_per_step),
            "spectral radius W_hh": result.spectral_radius,
            "mean forget / update gate": result.mean_forget_or_update_gate,
        })  # fmt: skip
    st.plotly_chart(gradient_decay_chart(series, "At initialisation"), key="grad.decay_chart", width="stretch")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="grad.decay_table")
    st.caption(
        "At PyTorch's default initialisation the LSTM's forget gates sit near 0.5, so its gradient decays almost as "
        "fast as the RNN's. Set the forget-gate bias to 3 (or use chrono initialisation) and watch it survive."
    )


TRAIN_KEY, TRAIN_WORKER, SNAPSHOTS = "grad.run", "grad.worker", "grad.snapshots"


def _probe_ids(run: Comparison, length: int):
    val = run.data.val_ids
    return val[: length + 1] if len(val) > length + 1 else run.data.train_ids[: length + 1]


def decay_in_training(cells: list[str], settings: dict) -> None:
    """Train the same cells on python-docs and record the gradient decay as they learn."""
    st.markdown("**During training** (python-docs, the same batches for every cell)")
    c1, c2, c3, c4 = st.columns(4)
    clip = c1.checkbox("Clip gradients", True, key="grad.clip")
    clip_norm = c2.number_input("Clip at", 0.1, 100.0, 1.0, key="grad.clip_norm", disabled=not clip)
    lr = c3.number_input("Learning rate", 1e-4, 1.0, 3e-3, format="%.4f", key="grad.lr")
    steps = c4.number_input("Steps", 10, 5000, 600, key="grad.steps")
    run: Comparison | None = st.session_state.get(TRAIN_KEY)
    worker: BackgroundTrainer | None = st.session_state.get(TRAIN_WORKER)
    b1, b2 = st.columns(2)
    if b1.button("Train and watch", key="grad.train", disabled=not cells):
        if worker is not None:
            worker.stop()
        train = TrainConfig(seq_len=min(settings["seq_len"], 200), batch_size=32, learning_rate=lr, clip=clip,
                            clip_norm=clip_norm, seed=settings["seed"], eval_every=0)  # fmt: skip
        config = ComparisonConfig(tuple(cells), settings["hidden"], 1, 32, init=settings["init"], train=train,
                                  max_steps=int(steps), sample_every=0)  # fmt: skip
        try:
            run = Comparison(CorpusData.from_corpus(load_corpus("python-docs")), config)
        except ConfigError as exc:
            st.error(str(exc))
            return
        worker = session_trainer(run)
        st.session_state[TRAIN_KEY], st.session_state[TRAIN_WORKER] = run, worker
        st.session_state[SNAPSHOTS] = {}
        worker.start()
    if b2.button("Stop", key="grad.stop", disabled=worker is None or not worker.running):
        worker.stop()
    if run is None:
        return

    @st.fragment(run_every=refresh_seconds(0.7) if worker is not None and worker.running else None)
    def view() -> None:
        run: Comparison | None = st.session_state.get(TRAIN_KEY)  # read each tick, never captured: see session_cleanup
        worker: BackgroundTrainer | None = st.session_state.get(TRAIN_WORKER)
        if run is None or worker is None:
            return
        snapshots: dict = st.session_state.setdefault(SNAPSHOTS, {})
        worker.poll()
        with worker.lock:
            live = [cell.step for cell in run.runs if not cell.diverged]
            step = min(live) if live else max(cell.step for cell in run.runs)
            if step not in snapshots:
                probe = _probe_ids(run, settings["seq_len"])
                snapshots[step] = {
                    cell.name: (
                        None if cell.diverged else measure_gradient_flow(cell.trainer.model, probe).relative_by_distance
                    )  # noqa: E501
                    for cell in run.runs
                }
                for cell in run.runs:
                    cell.trainer.model.train()
            diverged = [(cell.name, cell.diverged) for cell in run.runs if cell.diverged]
            losses = {cell.name: cell.losses[-1] for cell in run.runs if cell.losses}
        st.progress(run.progress, text=f"step {step:,} of {run.config.max_steps:,}")
        for name, reason in diverged:
            st.error(f"{name} {reason} The gradient exploded: turn clipping on, or lower the radius.")
        steps_seen = sorted(snapshots)
        shown = steps_seen[-1]
        if len(steps_seen) > 1 and not worker.running:
            shown = st.select_slider("Training step", steps_seen, value=steps_seen[-1], key="grad.snapshot")
        series = {name: values for name, values in snapshots[shown].items() if values is not None}
        st.plotly_chart(gradient_decay_chart(series, f"After {shown:,} training steps"), key="grad.train_chart",
                        width="stretch")  # fmt: skip
        if losses:
            st.caption("Latest training loss: " + ", ".join(f"{k} {v:.3f}" for k, v in losses.items()))
        if not worker.running and worker.alive is False and step < run.config.max_steps and not diverged:
            st.caption("Stopped.")

    view()


TASK_RUN, TASK_WORKER = "task.run", "task.worker"


def task_controls() -> TaskConfig | None:
    c1, c2, c3 = st.columns(3)
    task = c1.selectbox("Task", TASKS, key="task.name")
    length = c2.select_slider("Sequence length T", [10, 25, 50, 100, 200], 50, key="task.length")
    cells = c3.multiselect("Cells", ["rnn", "lstm", "gru"], default=["rnn", "lstm", "gru"], key="task.cells")
    st.caption(TASK_NOTES[task])
    c4, c5, c6 = st.columns(3)
    hidden = c4.select_slider("Hidden size", [16, 32, 64, 128], 64, key="task.hidden")
    steps = c5.number_input("Steps", 10, 5000, 1500, key="task.steps")
    lr = c6.number_input("Learning rate", 1e-4, 1e-1, 2e-3, format="%.4f", key="task.lr")
    if not cells:
        st.info("Pick at least one cell.")
        return None
    return TaskConfig(task, int(length), tuple(cells), int(hidden), 64, float(lr), 1.0, int(steps),
                      eval_every=max(5, int(steps) // 40))  # fmt: skip


def task_section() -> None:
    config = task_controls()
    b1, b2, b3 = st.columns(3)
    worker: BackgroundTrainer | None = st.session_state.get(TASK_WORKER)
    if b1.button("Train", type="primary", key="task.start", disabled=config is None):
        _start_task(TaskComparison(config))
    if b2.button(f"Sweep T = 10 ... 200 ({config.max_steps if config else 0} steps each)", key="task.sweep",
                 disabled=config is None):  # fmt: skip
        _start_task(TaskSweep(config))
    if b3.button("Stop", key="task.stop", disabled=worker is None or not worker.running):
        worker.stop()
    lab = st.session_state.get(TASK_RUN)
    if lab is None:
        st.info("Press Train: every cell learns from the same batches; watch the loss against the baseline.")
        return
    worker = st.session_state.get(TASK_WORKER)

    @st.fragment(run_every=refresh_seconds(0.7) if worker.running else None)
    def view() -> None:
        lab = st.session_state.get(TASK_RUN)  # read each tick, never captured: see session_cleanup
        worker: BackgroundTrainer | None = st.session_state.get(TASK_WORKER)
        if lab is None or worker is None:
            return
        worker.poll()
        with worker.lock:
            current = lab.current if isinstance(lab, TaskSweep) else lab
            sweep = dict(lab.results) if isinstance(lab, TaskSweep) else None
            progress = lab.progress
            if current is not None:
                runs = [{"name": r.name, "steps": list(r.eval_steps), "loss": list(r.eval_losses),
                         "accuracy": list(r.eval_accuracies)} for r in current.runs]  # fmt: skip
                summary, baseline, chance = current.summary(), current.baseline, current.chance
                label = f"{current.spec.name}, T = {current.spec.length}"
        st.progress(progress, text="sweep" if sweep is not None else "training")
        if current is not None:
            st.markdown(f"**{label}**")
            st.plotly_chart(task_chart([{"name": r["name"], "steps": r["steps"], "values": r["loss"]} for r in runs],
                                       baseline), key="task.loss_chart", width="stretch")  # fmt: skip
            if any(r["accuracy"] and r["accuracy"][0] is not None for r in runs):
                st.plotly_chart(task_chart([{"name": r["name"], "steps": r["steps"], "values": r["accuracy"]}
                                            for r in runs], chance, "accuracy"), key="task.acc_chart", width="stretch")  # fmt: skip  # noqa: E501
            st.dataframe(pd.DataFrame(summary), hide_index=True, width="stretch", key="task.table")
        if sweep:
            st.markdown("**Success against sequence length** (filled in as each length finishes)")
            st.plotly_chart(sweep_chart(sweep), key="task.sweep_chart", width="stretch")
            rows = [{"T": t, **row} for t, results in sorted(sweep.items()) for row in results]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="task.sweep_table")

    view()


def _start_task(lab) -> None:
    old = st.session_state.get(TASK_WORKER)
    if old is not None:
        old.stop()
    worker = session_trainer(lab)
    st.session_state[TASK_RUN], st.session_state[TASK_WORKER] = lab, worker
    worker.start()

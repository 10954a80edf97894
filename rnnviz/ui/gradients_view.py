"""The Gradients page: gradient decay at initialisation and in training, and long-memory tasks.

Every cell of the registry can be picked, the newer ones too (minGRU, minLSTM, the selective SSM, the Transformer),
named in a link by key: ``?cells=lstm,mingru,transformer`` for the decay, ``?task_cells=gru,ssm`` for the tasks
(``?task=selective-copy``: Mamba's selective copying).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.cells import ALL_BY_KEY, ALL_BY_LABEL, ALL_CELL_LABELS, DEFAULT_CELLS, MODULES
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import load_corpus
from rnnviz.charlm.initialization import INIT_SCHEMES, InitConfig
from rnnviz.charts.gradients import gradient_decay_chart, sweep_chart, task_chart
from rnnviz.i18n import column_namer, t
from rnnviz.labs.gradient_decay import (
    GradientDecayInTraining,
    GradientDecayInTrainingConfig,
    describe_result,
    gradflow_at_init,
)
from rnnviz.labs.memory_task_lab import MemoryTaskConfig, MemoryTaskLab, MemoryTaskSweep
from rnnviz.labs.memory_tasks import TASKS
from rnnviz.limits import LIMITS
from rnnviz.ui import live
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.url_state import UrlSettings

DECAY_KEY = "grad.run"  # a LiveRun of GradientDecayInTraining
TASK_KEY = "task.run"  # a LiveRun of a MemoryTaskLab or MemoryTaskSweep
TASK_CELLS = tuple(ALL_BY_KEY)  # the tasks' picker, by registry key: every cell (the default race: MODULES)


def keys_in_link(raw: str) -> tuple[list[str], list[str]]:
    """The cells a link names, ``lstm,mingru,transformer`` (any case; a label, as older links wrote them, counts as
    its cell): ``(known keys, each once, in the link's order; the unknown names)``."""
    known, unknown = [], []
    for name in (part.strip() for part in raw.split(",") if part.strip()):
        kind = ALL_BY_KEY.get(name.lower()) or ALL_BY_LABEL.get(name)
        if kind is None:
            unknown.append(name)
        elif kind.key not in known:
            known.append(kind.key)
    return known, unknown


def cells_reader(options: tuple[str, ...], as_label: bool):
    """A ``UrlSettings`` reader of a cells setting: the picker's options the link names, as labels or keys, and a
    warning that names every cell refused (unknown, or not offered here) and the ones that are."""
    offered = {(ALL_BY_LABEL[o].key if as_label else o): o for o in options}  # key -> the option

    def read(raw: str) -> tuple[list[str] | None, list[str]]:
        known, unknown = keys_in_link(raw)
        refused = unknown + [key for key in known if key not in offered]
        warnings = [t("errors.link.cells", bad=refused, known=", ".join(offered))] if refused else []
        return [offered[key] for key in known if key in offered] or None, warnings

    return read


def write_labels(labels) -> str:
    """Cells picked by label, as a link names them: by key (``rnn,lstm,gru``)."""
    return ",".join(ALL_BY_LABEL[label].key for label in labels)


def mechanism_controls(url: UrlSettings) -> tuple[list[str], dict]:
    c1, c2, c3 = st.columns(3)
    cells = url.multiselect(
        t("train.cells"),
        ALL_CELL_LABELS,
        DEFAULT_CELLS,
        "cells",
        "grad.cells",
        c1,
        read=cells_reader(ALL_CELL_LABELS, as_label=True),
        write=write_labels,
    )
    hidden_size = url.slider(t("train.hidden_size"), 8, 256, 128, "hidden", "grad.hidden", c2, step=8)
    seq_len = url.slider(t("train.seq_len"), 10, 300, 100, "seq", "grad.seq", c3, step=10)
    c4, c5, c6 = st.columns(3)
    scheme = url.select(t("grad.init"), INIT_SCHEMES, "default", "init", "grad.init", c4)
    set_radius = url.checkbox(t("grad.set_radius"), False, "set_radius", "grad.set_radius", c5)
    # a setting that does not apply is left out rather than greyed out (grey text fails contrast for every reader)
    radius = url.slider(t("grad.radius"), 0.5, 1.5, 1.0, "radius", "grad.radius", c5, step=0.05) if set_radius else 1.0
    seed = url.number(t("train.seed"), 0, 10_000, 0, "seed", "grad.seed", c6)
    c7, c8, c9 = st.columns(3)
    forget = url.slider(
        t("grad.forget"), -2.0, 5.0, 0.0, "forget_bias", "grad.forget", c7, step=0.5, help=t("grad.forget_help")
    )
    update = url.slider(t("grad.update"), -2.0, 5.0, 0.0, "update_bias", "grad.update", c8, step=0.5)
    chrono = url.checkbox(t("grad.chrono"), False, "chrono", "grad.chrono", c9, help=t("grad.chrono_help"))
    init = InitConfig(
        scheme=scheme,
        spectral_radius=radius if set_radius else None,
        forget_bias=forget or None,
        update_bias=update or None,
        chrono_t_max=seq_len if chrono else None,
    )
    return list(cells), {"hidden_size": hidden_size, "seq_len": seq_len, "init": init, "seed": int(seed)}


def decay_at_init(cells: list[str], settings: dict) -> None:
    series, rows = {}, []
    for name in cells:
        kind = ALL_BY_LABEL[name]
        result = gradflow_at_init(
            kind.module,
            hidden_size=settings["hidden_size"],
            seq_len=settings["seq_len"],
            init=settings["init"],
            nonlinearity=kind.nonlinearity,
            seed=settings["seed"],
        )
        series[name] = result.relative_by_distance
        rows.append(
            {
                "cell": name,
                "decay per step": shown(result.decay_per_step, "grad.col.no_fit"),
                "what it means": describe_result(result),
                "spectral radius W_hh": shown(result.spectral_radius, "grad.col.no_w_hh"),
                "mean forget / update gate": shown(result.mean_forget_or_update_gate, "grad.col.no_gates"),
            }
        )
    chart = gradient_decay_chart(series, t("grad.at_init"), inputs=input_measured(cells))
    show_chart(chart, key="grad.decay_chart")
    st.dataframe(table(rows), hide_index=True, width="stretch", key="grad.decay_table")
    st.caption(t("grad.at_init_caption"))
    newer_cells_caption(cells)


def shown(value: float | None, missing: str) -> str:
    """A measured value to four places, or what its absence means for this cell ("no gates" for the RNN) in the
    page's language, where the table would otherwise say "None"."""
    return t(missing) if value is None else f"{value:.4f}"


def input_measured(names) -> list[str]:
    """The models whose gradient is measured at the input embedding: the Transformer's, which carries no state (a
    variant such as "Transformer [...]" counts as its cell)."""
    kinds = {name: ALL_BY_LABEL.get(name.split(" [")[0]) for name in names}
    return [name for name, kind in kinds.items() if kind is not None and kind.family == "attention"]


def newer_cells_caption(cells: list[str]) -> None:
    """What the decay chart measures for the newer cells picked, said under it."""
    families = {ALL_BY_LABEL[name].family for name in cells}
    if "scan" in families:
        st.caption(t("grad.scan_caption"))
    if "attention" in families:
        st.caption(t("grad.transformer_caption"))


def table(rows: list[dict]) -> pd.DataFrame:
    """A lab's rows with their column names in the current language; a column with no value in any row (accuracy on
    the adding task, a regression) is left out rather than shown as a column of "None"."""
    frame = pd.DataFrame(rows)
    empty = [column for column in frame.columns if frame[column].isna().all()]
    return frame.drop(columns=empty).rename(columns=column_namer("grad.col."))


def decay_in_training(cells: list[str], settings: dict, url: UrlSettings) -> None:
    """Train the same cells on python-docs and record the gradient decay as they learn."""
    st.markdown(t("grad.during_training"))
    c1, c2, c3, c4 = st.columns(4)
    clip = url.checkbox(t("train.clip"), True, "clip", "grad.clip", c1)
    clip_norm = url.number(t("train.clip_norm"), 0.1, 100.0, 1.0, "clip_norm", "grad.clip_norm", c2) if clip else 1.0
    learning_rate = url.number(t("train.learning_rate"), 1e-4, 1.0, 3e-3, "lr", "grad.lr", c3, format="%.4f")
    steps = url.number(t("train.steps"), 10, 5000, 600, "steps", "grad.steps", c4)

    def make_job() -> GradientDecayInTraining:
        config = GradientDecayInTrainingConfig(
            cells=tuple(cells),
            hidden_size=settings["hidden_size"],
            seq_len=settings["seq_len"],
            init=settings["init"],
            learning_rate=float(learning_rate),
            clip=clip,
            clip_norm=float(clip_norm),
            steps=int(steps),
            seed=settings["seed"],
        )
        return GradientDecayInTraining(CorpusData.from_corpus(load_corpus("python-docs")), config)

    live.control_bar(DECAY_KEY, [("grad.train", t("grad.train_and_watch"), make_job)], can_start=bool(cells))

    def draw(snap: dict, state: str) -> None:
        for name, reason in snap["diverged"]:
            st.error(f"{name} {reason} " + t("grad.exploded"))
        steps_seen = sorted(snap["measured"])
        shown = steps_seen[-1]
        if len(steps_seen) > 1 and state != "running":
            shown = st.select_slider(t("grad.training_step"), steps_seen, value=steps_seen[-1], key="grad.snapshot")
        series = {name: values for name, values in snap["measured"][shown].items() if values is not None}
        chart = gradient_decay_chart(series, t("grad.after_steps", n=shown), inputs=input_measured(series))
        show_chart(chart, key="grad.train_chart")
        if snap["losses"]:
            st.caption(t("grad.latest_loss") + ", ".join(f"{k} {v:.3f}" for k, v in snap["losses"].items()))

    live.live_view(DECAY_KEY, draw, 0.7)


def task_controls(url: UrlSettings) -> MemoryTaskConfig | None:
    c1, c2, c3 = st.columns(3)
    task = url.select(t("grad.task"), TASKS, "adding", "task", "task.name", c1)
    length = url.select_slider(t("grad.length_t"), [10, 25, 50, 100, 200], 50, "T", "task.length", c2)
    cells = url.multiselect(
        t("train.cells"),
        TASK_CELLS,
        MODULES,
        "task_cells",
        "task.cells",
        c3,
        format_func=lambda key: ALL_BY_KEY[key].label,
        read=cells_reader(TASK_CELLS, as_label=False),
    )
    st.caption(t(f"grad.task_note.{task}"))
    c4, c5, c6, c7 = st.columns(4)
    hidden_size = url.select_slider(t("train.hidden_size"), [16, 32, 64, 128], 64, "task_hidden", "task.hidden", c4)
    steps = url.number(t("train.steps"), 10, 5000, 1500, "task_steps", "task.steps", c5)
    learning_rate = url.number(t("train.learning_rate"), 1e-4, 1e-1, 2e-3, "task_lr", "task.lr", c6, format="%.4f")
    repeats = url.number(
        t("train.repeats"), 1, LIMITS.max_repeats, 1, "seeds", "task.repeats", c7, help=t("grad.repeats_help")
    )
    if not cells:
        st.info(t("grad.pick_cell"))
        return None
    return MemoryTaskConfig(
        task=task,
        length=int(length),
        cells=tuple(cells),
        hidden_size=int(hidden_size),
        learning_rate=float(learning_rate),
        steps=int(steps),
        eval_every=max(5, int(steps) // 40),
        repeats=int(repeats),
    )


def task_section(url: UrlSettings) -> None:
    config = task_controls(url)
    sweep_label = t("grad.sweep", steps=config.steps if config else 0)
    live.control_bar(
        TASK_KEY,
        [
            ("task.start", t("tag.train"), lambda: MemoryTaskLab(config) if config else None),
            ("task.sweep", sweep_label, lambda: MemoryTaskSweep(config) if config else None),
        ],
        can_start=config is not None,
    )
    if live.get(TASK_KEY) is None:
        st.info(t("grad.press_train"))
        return
    live.live_view(TASK_KEY, draw_task, 0.7)


def draw_task(snap: dict, state: str, key: str = "task") -> None:
    """A memory-task lab's (or sweep's) snapshot: held-out loss and accuracy, every seed faint with the mean on top,
    each run's result and, over several seeds, mean, best, worst and "k/N solved"."""
    current = snap.get("current", snap) if "sweep" in snap else snap
    if current is not None:
        runs = current["runs"]
        st.markdown(f"**{current['label']}**")
        losses = [{"name": r["name"], "cell": r["cell"], "steps": r["steps"], "values": r["loss"]} for r in runs]
        show_chart(task_chart(losses, current["baseline"]), key=f"{key}.loss_chart")
        if any(r["accuracy"] and r["accuracy"][0] is not None for r in runs):
            accuracy = [
                {"name": r["name"], "cell": r["cell"], "steps": r["steps"], "values": r["accuracy"]} for r in runs
            ]
            show_chart(task_chart(accuracy, current["chance"], "accuracy"), key=f"{key}.acc_chart")
        if len(current["aggregate"]) < len(current["summary"]):  # several seeds
            st.dataframe(table(current["aggregate"]), hide_index=True, width="stretch", key=f"{key}.aggregate")
        st.dataframe(table(current["summary"]), hide_index=True, width="stretch", key=f"{key}.table")
    sweep = snap.get("sweep")
    if sweep:
        st.markdown(t("grad.sweep_title"))
        show_chart(sweep_chart(sweep), key=f"{key}.sweep_chart")
        rows = [{"T": length, **row} for length, results in sorted(sweep.items()) for row in results]
        st.dataframe(table(rows), hide_index=True, width="stretch", key=f"{key}.sweep_table")

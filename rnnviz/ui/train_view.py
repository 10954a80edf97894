"""The Train page's controls and live views, on the shared live helper (``rnnviz.ui.live``).

Training runs in a background thread that makes no Streamlit calls; the live view's fragment polls its
snapshots and redraws once per tick. The run lives under ``RUN_KEY`` (a ``LiveRun``), so it and its
history survive a visit to another page.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from rnnviz.cells import ALL_BY_LABEL
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.checkpoint import checkpoint_bytes
from rnnviz.charlm.model import ConfigError
from rnnviz.charlm.scaling import read_results, results_files
from rnnviz.charts.scaling import MEASURES, scaling_chart
from rnnviz.charts.training import grad_norm_chart, loss_chart
from rnnviz.i18n import column_namer, labeller, t
from rnnviz.labs.language_models import LanguageModelLab, window_of
from rnnviz.labs.train_settings import SHAPING, TrainSettings, changed_settings, rewound
from rnnviz.ui import live
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.corpus_picker import corpus_baselines
from rnnviz.ui.state import register_model
from rnnviz.ui.url_state import bare_label

RUN_KEY = "train.run"  # a LiveRun of a LanguageModelLab
# 0.5 s kept 80-82% of headless training in Chromium on 2 cores, 1 s about 90% (bench/live_overhead.py)
TICK_SECONDS = 1.0


def publish_models(lab: LanguageModelLab) -> None:
    """Make this run's models available to the Inspect, Generate and Gradients pages (each time it comes to rest)."""
    for cell in lab.runs:
        name = f"{cell.name} {cell.trainer.model.config.num_layers}x{cell.trainer.model.config.hidden_size}"
        if lab.data.vocab.kind == "words":
            name += " words"
        register_model(name, cell.checkpoint(lab.data))


def race_notes(settings: TrainSettings) -> None:
    """What the newer cells in the race change: a Transformer's fixed window; their own initialisation."""
    config = settings.lab_config()
    window = window_of(config)
    if window is not None:
        st.caption(t("train.transformer_window", n=window))
    newer = [name for name in config.cells if ALL_BY_LABEL.get(name) and ALL_BY_LABEL[name].family != "fused"]
    if newer and (settings.init != "default" or settings.radius):
        st.caption(t("train.newer_cells_init", cells=", ".join(newer)))


def last_race() -> LanguageModelLab | None:
    """The race on the page now (running, paused, stopped or finished), the one a rewind reruns."""
    run = live.get(RUN_KEY)
    return None if run is None else run.job


def controls(data: CorpusData | None, settings: TrainSettings) -> None:
    race_notes(settings)
    last = last_race()
    last_settings = None if last is None else last.settings

    def make_lab() -> LanguageModelLab | None:
        return None if data is None else LanguageModelLab(data, settings.lab_config(), settings=settings)

    def make_rewind() -> LanguageModelLab | None:
        """The last race again on its seed (the same start and batches), with the settings now in the sidebar."""
        if data is None or last_settings is None:
            return None
        again = rewound(last_settings, settings)
        return LanguageModelLab(data, again.lab_config(), settings=again, rewound_from=last_settings)

    starters = [
        ("train.start", t("train.start"), make_lab),
        ("train.rewind", t("train.rewind.button"), make_rewind, last_settings is not None, t("train.rewind.help")),
    ]
    live.control_bar(RUN_KEY, starters, on_settle=publish_models, reset=True, can_start=data is not None)
    rewind_note(last_race(), settings)
    state = live.status(RUN_KEY)
    left, right = st.columns([1.4, 1])
    n = left.number_input(t("train.steps"), 1, 1000, 10, key="train.step_n", label_visibility="collapsed")
    can_step = state in ("idle", "paused") and (data is not None or state != "idle")
    if right.button(t("train.step_n", n=n), disabled=not can_step, key="train.step", help=t("train.step_help")):
        _step_each(data, settings, int(n))
    if state == "running":
        st.caption(t("train.settings_next_run"))


def _setting_label(field: str, lower: bool = True) -> str:
    """A setting by its label in the sidebar, in lower case inside a sentence ("learning rate", "LSTM forget bias")."""
    label = bare_label(t("corpus.label") if field == "corpus" else t(f"train.{field}"))
    return label[:1].lower() + label[1:] if lower and label[1:2].islower() else label


def _setting_value(field: str, value) -> str:
    """A setting's value as the sidebar shows it: on or off, 0.003, "LSTM, GRU", characters."""
    if isinstance(value, bool):
        return t("train.rewind.yes" if value else "train.rewind.no")
    if field == "tokens":
        return t(f"train.token_kind.{value}")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def rewind_note(lab: LanguageModelLab | None, settings: TrainSettings) -> None:
    """What a rewound race changed from the race it reruns ("learning rate 0.003 → 0.01"), on the same seed."""
    if lab is None or lab.rewound_from is None or lab.settings is None:
        return
    changes = changed_settings(lab.rewound_from, lab.settings)
    seed = lab.settings.seed
    if not changes:
        note = t("train.rewind.same", seed=seed)
    else:
        parts = [
            t("train.rewind.change", key=_setting_label(f), old=_setting_value(f, a), new=_setting_value(f, b))
            for f, a, b in changes
        ]
        same_start = not any(f in SHAPING for f, _, _ in changes)
        key = "train.rewind.done" if same_start else "train.rewind.done_seed"
        note = t(key, seed=seed, changes=t("train.rewind.and").join(parts))
    if settings.seed != seed:
        note += " " + t("train.rewind.seed_kept", seed=seed, asked=settings.seed)
    st.info(note)
    shaping = [_setting_label(f, lower=False) for f, _, _ in changes if f in SHAPING]
    if shaping:
        st.caption(t("train.rewind.differs", settings=t("train.rewind.and").join(shaping)))


def _step_each(data: CorpusData | None, settings: TrainSettings, n: int) -> None:
    run = live.get(RUN_KEY)
    created = run is None
    if created:
        try:
            lab = LanguageModelLab(data, settings.lab_config(), settings=settings)
            run = live.create(RUN_KEY, lab, on_settle=publish_models)
        except ConfigError as exc:  # shown where Start shows its errors
            st.session_state[f"{RUN_KEY}.error"] = str(exc)
            st.rerun()
    run.worker.call(lambda lab: lab.step_each(n))
    run.settle()
    if created:  # the control bar above was drawn with no race: Resume, Stop and Rewind follow the new one
        st.rerun()


def _table(rows: list[dict]) -> pd.DataFrame:
    """A lab's rows with the column names in the current language (the snapshot keeps the English ones)."""
    return pd.DataFrame(rows).rename(columns=column_namer("train.col."))


def live_section(show_baselines: bool, bits: bool) -> None:
    run = live.get(RUN_KEY)
    if run is None:
        st.info(t("train.pick_then_start"))
        return
    lab: LanguageModelLab = run.job
    # counted once per corpus (cached), here rather than inside a tick; the view gets plain numbers
    data = lab.data
    baselines = None
    if show_baselines:
        with st.spinner(t("train.counting_ngrams")):
            baselines = corpus_baselines(data.sha256, data.tokens, data).as_lines()
    per = data.vocab.unit

    def draw(snap: dict, state: str) -> None:
        if len(snap["aggregate"]) < len(snap["summaries"]):  # several seeds: the result is their spread
            st.dataframe(_table(snap["aggregate"]), hide_index=True, width="stretch", key="train.aggregate")
        st.dataframe(_table(snap["summaries"]), hide_index=True, width="stretch", key="train.table")
        for name, reason in snap["diverged"]:
            st.error(f"{name} {reason}")
        figure = loss_chart(snap["charts"], baselines, bits=bits, per=per)
        show_chart(figure, key="train.loss_chart")
        show_chart(grad_norm_chart(snap["charts"], snap["clip"]), key="train.grad_chart")
        st.markdown(t("train.samples_title"))
        for column, (name, sample, step) in zip(st.columns(len(snap["samples"])), snap["samples"]):
            column.caption(t("train.sample_at", name=name, step=step) if sample else t("train.no_sample", name=name))
            if sample:
                column.code(sample, language=None, wrap_lines=True)
        names = [summary["run"] for summary in snap["summaries"]]
        for column, name in zip(st.columns(len(names)), names):
            column.download_button(
                t("train.save_checkpoint", name=name),
                data=lambda name=name: live.call(RUN_KEY, lambda lab: checkpoint_bytes(lab.checkpoint_of(name))),
                file_name=f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.safetensors",
                mime="application/octet-stream",
                on_click="ignore",
                key=f"train.download.{name}",
            )

    live.live_view(RUN_KEY, draw, TICK_SECONDS)


SCALING_COMMAND = "python -m rnnviz bench scaling --json > docs/scaling-cpu.json"


def scaling_section() -> None:
    """``bench scaling``'s figures, read from the JSON it writes (docs/scaling-*.json): training tokens per second
    against sequence length per cell and mode, or generation against position; built only when opened."""
    expander = st.expander(t("train.scaling_title"), key="train.scaling", on_change="rerun")
    if not expander.open:
        return
    with expander:
        files = results_files()
        if not files:
            st.info(t("train.scaling_missing", command=SCALING_COMMAND))
            return
        by_name = {path.name: path for path in files}
        name = st.selectbox(t("train.scaling_file"), list(by_name), key="train.scaling_file")
        try:
            rows = read_results(by_name[name])
        except ValueError as exc:
            st.error(str(exc))
            return
        left, right = st.columns(2)
        measures = [m for m in MEASURES if any(row["measure"] == m for row in rows)] or list(MEASURES)
        measure = left.radio(
            t("train.scaling_measure"),
            measures,
            horizontal=True,
            key="train.scaling_measure",
            format_func=labeller("train.scaling_measures."),
        )
        ratio = right.toggle(t("train.scaling_ratio"), key="train.scaling_ratio")
        show_chart(scaling_chart(rows, measure, ratio), key="train.scaling_chart")
        st.caption(t("train.scaling_caption", command=SCALING_COMMAND))

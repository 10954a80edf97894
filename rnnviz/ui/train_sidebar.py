"""The Train page's settings widgets, kept in step with the URL (``st.query_params``)."""

from __future__ import annotations

from dataclasses import asdict, replace

import streamlit as st

from rnnviz.cells import CELL_LABELS
from rnnviz.charlm.initialization import INIT_SCHEMES
from rnnviz.charlm.trainer import OPTIMIZERS
from rnnviz.labs.train_settings import BOUNDS, PRESETS, TrainSettings, from_query_params, to_query_params

SETTINGS_KEY = "train.settings"
WIDGET = "train.w."


def current_settings() -> TrainSettings:
    """The session's settings; on the first visit they come from the URL (with warnings shown)."""
    if SETTINGS_KEY not in st.session_state:
        config, warnings = from_query_params(dict(st.query_params))
        st.session_state[SETTINGS_KEY] = config
        st.session_state["train.url_warnings"] = warnings
    return st.session_state[SETTINGS_KEY]


def _apply_preset() -> None:
    name = st.session_state[WIDGET + "preset"]
    if name in PRESETS:
        st.session_state[SETTINGS_KEY] = PRESETS[name][1]
        for field in asdict(PRESETS[name][1]):
            st.session_state.pop(WIDGET + field, None)


def _init_widget(field: str, value) -> str:
    key = WIDGET + field
    if key not in st.session_state:
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    return key


def settings_sidebar(config: TrainSettings) -> TrainSettings:
    """Draw every setting; return the settings as they now stand (also written to the URL)."""
    sb = st.sidebar
    for warning in st.session_state.pop("train.url_warnings", []):
        st.warning(f"Link setting ignored or changed: {warning}")
    sb.selectbox(
        "Lesson preset", ["(custom)", *PRESETS], key=WIDGET + "preset", on_change=_apply_preset,
        format_func=lambda k: PRESETS[k][0] if k in PRESETS else k,
    )  # fmt: skip
    config = st.session_state[SETTINGS_KEY]

    def number(column, label: str, field: str, **kwargs) -> None:
        low, high = BOUNDS[field]  # the same bounds the URL is clamped to
        column.number_input(label, low, high, key=_init_widget(field, getattr(config, field)), **kwargs)

    sb.multiselect("Cells", list(CELL_LABELS), key=_init_widget("cells", config.cells))
    sb.checkbox("Same parameter budget", key=_init_widget("same_budget", config.same_budget),
                help="Size every cell to the LSTM's parameter count: the only fair comparison.")  # fmt: skip
    c1, c2 = sb.columns(2)
    number(c1, "Hidden units", "hidden_size")
    number(c2, "Layers", "num_layers")
    number(c1, "Embedding", "embed_size")
    number(c2, "Dropout", "dropout", step=0.05)
    number(c1, "Sequence length", "seq_len")
    number(c2, "Batch size", "batch_size")
    number(c1, "Learning rate", "learning_rate", format="%.4f", step=1e-3)
    c2.selectbox("Optimiser", OPTIMIZERS, key=_init_widget("optimizer", config.optimizer))
    c1.checkbox("Clip gradients", key=_init_widget("clip", config.clip))
    number(c2, "Clip at", "clip_norm")
    c1.selectbox("Init W_hh", INIT_SCHEMES, key=_init_widget("init", config.init))
    number(c2, "Spectral radius (0: as is)", "radius", step=0.1)
    number(c1, "LSTM forget bias (0: default)", "forget_bias", step=0.5)
    number(c2, "Seed", "seed")
    number(c1, "Steps", "steps")
    number(c2, "Sample every", "sample_every")
    number(c1, "Seeds", "repeats", help="Train every cell once per seed: each seed faint, the mean on top, and a "
           "table of mean, best and worst. One run can mislead.")  # fmt: skip
    values = {field: st.session_state[WIDGET + field] for field in asdict(config) if WIDGET + field in st.session_state}
    values["cells"] = tuple(values.get("cells", config.cells))
    new = replace(config, **values)
    st.session_state[SETTINGS_KEY] = new
    params = to_query_params(new)
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    return new


def remember_corpus(source_key: str = "train.corpus.source") -> None:
    """Keep a named corpus choice in the settings and the URL (uploads and pastes cannot be linked)."""
    from rnnviz.charlm.corpora import CORPUS_NAMES

    source = st.session_state.get(source_key)
    config = st.session_state[SETTINGS_KEY]
    if source in CORPUS_NAMES and source != config.corpus:
        st.session_state[SETTINGS_KEY] = replace(config, corpus=source)
        st.query_params.from_dict(to_query_params(st.session_state[SETTINGS_KEY]))

"""The Train page's settings widgets, kept in step with the URL (``st.query_params``)."""

from __future__ import annotations

from dataclasses import asdict, replace

import streamlit as st

from rnnviz.comparison import CELL_CHOICES
from rnnviz.initialization import INIT_SCHEMES
from rnnviz.limits import LIMITS
from rnnviz.page_config import PRESETS, TrainPageConfig, from_query_params, to_query_params
from rnnviz.trainer import OPTIMIZERS

CONFIG_KEY = "train.config"
WIDGET = "train.w."


def current_config() -> TrainPageConfig:
    """The session's settings; on the first visit they come from the URL (with warnings shown)."""
    if CONFIG_KEY not in st.session_state:
        config, warnings = from_query_params(dict(st.query_params))
        st.session_state[CONFIG_KEY] = config
        st.session_state["train.url_warnings"] = warnings
    return st.session_state[CONFIG_KEY]


def _apply_preset() -> None:
    name = st.session_state[WIDGET + "preset"]
    if name in PRESETS:
        st.session_state[CONFIG_KEY] = PRESETS[name][1]
        for field in asdict(PRESETS[name][1]):
            st.session_state.pop(WIDGET + field, None)


def _init_widget(field: str, value) -> str:
    key = WIDGET + field
    if key not in st.session_state:
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    return key


def settings_sidebar(config: TrainPageConfig) -> TrainPageConfig:
    """Draw every setting; return the settings as they now stand (also written to the URL)."""
    sb = st.sidebar
    for warning in st.session_state.pop("train.url_warnings", []):
        st.warning(f"Link setting ignored or changed: {warning}")
    sb.selectbox(
        "Lesson preset", ["(custom)", *PRESETS], key=WIDGET + "preset", on_change=_apply_preset,
        format_func=lambda k: PRESETS[k][0] if k in PRESETS else k,
    )  # fmt: skip
    config = st.session_state[CONFIG_KEY]
    sb.multiselect("Cells", list(CELL_CHOICES), key=_init_widget("cells", config.cells))
    sb.checkbox("Same parameter budget", key=_init_widget("same_budget", config.same_budget),
                help="Size every cell to the LSTM's parameter count: the only fair comparison.")  # fmt: skip
    c1, c2 = sb.columns(2)
    c1.number_input("Hidden units", 1, LIMITS.max_hidden_size, key=_init_widget("hidden", config.hidden))
    c2.number_input("Layers", 1, LIMITS.max_layers, key=_init_widget("layers", config.layers))
    c1.number_input("Embedding", 1, LIMITS.max_embed_size, key=_init_widget("embed", config.embed))
    c2.number_input("Dropout", 0.0, 0.9, step=0.05, key=_init_widget("dropout", config.dropout))
    c1.number_input("Sequence length", 2, LIMITS.max_seq_len, key=_init_widget("seq_len", config.seq_len))
    c2.number_input("Batch size", 1, LIMITS.max_batch_size, key=_init_widget("batch_size", config.batch_size))
    c1.number_input("Learning rate", 1e-5, 1.0, format="%.4f", step=1e-3, key=_init_widget("lr", config.lr))
    c2.selectbox("Optimiser", OPTIMIZERS, key=_init_widget("optimizer", config.optimizer))
    c1.checkbox("Clip gradients", key=_init_widget("clip", config.clip))
    c2.number_input("Clip at", 0.01, 100.0, key=_init_widget("clip_norm", config.clip_norm))
    c1.selectbox("Init W_hh", INIT_SCHEMES, key=_init_widget("init", config.init))
    c2.number_input("Spectral radius (0: as is)", 0.0, 3.0, step=0.1, key=_init_widget("radius", config.radius))
    c1.number_input("LSTM forget bias (0: default)", -5.0, 10.0, step=0.5,
                    key=_init_widget("forget_bias", config.forget_bias))  # fmt: skip
    c2.number_input("Seed", 0, 2**31 - 1, key=_init_widget("seed", config.seed))
    c1.number_input("Steps", 1, LIMITS.max_steps_per_run, key=_init_widget("steps", config.steps))
    c2.number_input("Sample every", 0, 10_000, key=_init_widget("sample_every", config.sample_every))
    values = {field: st.session_state[WIDGET + field] for field in asdict(config) if WIDGET + field in st.session_state}
    values["cells"] = tuple(values.get("cells", config.cells))
    new = replace(config, **values)
    st.session_state[CONFIG_KEY] = new
    params = to_query_params(new)
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    return new


def remember_corpus(source_key: str = "train.corpus.source") -> None:
    """Keep a named corpus choice in the settings and the URL (uploads and pastes cannot be linked)."""
    from rnnviz.corpora import CORPUS_NAMES

    source = st.session_state.get(source_key)
    config = st.session_state[CONFIG_KEY]
    if source in CORPUS_NAMES and source != config.corpus:
        st.session_state[CONFIG_KEY] = replace(config, corpus=source)
        st.query_params.from_dict(to_query_params(st.session_state[CONFIG_KEY]))

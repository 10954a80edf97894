"""The Train page's settings widgets, kept in step with the URL (``st.query_params``)."""

from __future__ import annotations

from dataclasses import asdict, replace

import streamlit as st

from rnnviz.cells import CELL_LABELS
from rnnviz.charlm.initialization import INIT_SCHEMES
from rnnviz.charlm.trainer import OPTIMIZERS
from rnnviz.charlm.vocab import TOKEN_KINDS
from rnnviz.i18n import labeller, t
from rnnviz.labs.train_settings import (
    BOUNDS,
    PRESETS,
    TrainSettings,
    from_query_params,
    to_query_params,
    url_key,
)
from rnnviz.links import HIDE, LOCK, SIGNATURE, LinkLocks, read_locks
from rnnviz.ui.language import language_param
from rnnviz.ui.url_state import PAGE, share_panel

SETTINGS_KEY = "train.settings"

PAGE_NAME = "Train"
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
        st.session_state[SETTINGS_KEY] = PRESETS[name]
        for field in asdict(PRESETS[name]):
            st.session_state.pop(WIDGET + field, None)


def _init_widget(field: str, value) -> str:
    key = WIDGET + field
    if key not in st.session_state:
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    return key


def _class_locks() -> LinkLocks:
    """A teacher's locks, when this page was opened from a signed Train link."""
    params = dict(st.query_params)
    if params.get(PAGE) != PAGE_NAME:
        return LinkLocks()
    locks = read_locks(params, (PAGE,))
    if locks.refused:
        st.error(locks.refused)
    return locks


def _lock_params(locks: LinkLocks) -> dict[str, str]:
    """The part of the URL that keeps a teacher's locks (rewritten with the settings, never dropped)."""
    keys = [PAGE, LOCK, HIDE, SIGNATURE, *locks.locked]
    return {key: st.query_params[key] for key in keys if key in st.query_params}


def settings_sidebar(config: TrainSettings) -> TrainSettings:
    """Draw every setting; return the settings as they now stand (also written to the URL). Settings a teacher's
    link locked are shown as text (or not at all) and keep the link's values."""
    sb = st.sidebar
    for warning in st.session_state.pop("train.url_warnings", []):
        st.warning(t("train.link_warning", warning=warning))
    locks = _class_locks()
    fixed = {field for field in asdict(config) if url_key(field) in locks.locked}
    if not fixed:
        sb.selectbox(
            t("train.preset"),
            ["(custom)", *PRESETS],
            key=WIDGET + "preset",
            on_change=_apply_preset,
            format_func=labeller("train.presets.", fallback="train.custom"),
        )
    config = st.session_state[SETTINGS_KEY]
    if locks.refused:  # a changed link: its locked settings go back to the defaults
        config = replace(config, **{field: getattr(TrainSettings(), field) for field in fixed})
        st.session_state[SETTINGS_KEY] = config

    def shown_fixed(column, label: str, field: str) -> bool:
        if field not in fixed:
            return False
        if url_key(field) not in locks.hidden:
            value = getattr(config, field)
            shown = ", ".join(value) if isinstance(value, tuple) else value
            column.markdown(t("share.set_by_teacher", label=label, value=shown))
        return True

    def number(column, label: str, field: str, **kwargs) -> None:
        if shown_fixed(column, label, field):
            return
        low, high = BOUNDS[field]  # the same bounds the URL is clamped to
        column.number_input(label, low, high, key=_init_widget(field, getattr(config, field)), **kwargs)

    def choice(column, widget, label: str, field: str, *args, **kwargs) -> None:
        if not shown_fixed(column, label, field):
            getattr(column, widget)(label, *args, key=_init_widget(field, getattr(config, field)), **kwargs)

    choice(sb, "multiselect", t("train.cells"), "cells", list(CELL_LABELS))
    choice(
        sb,
        "radio",
        t("train.tokens"),
        "tokens",
        TOKEN_KINDS,
        horizontal=True,
        format_func=labeller("train.token_kind."),
        help=t("train.tokens_help"),
    )
    choice(sb, "checkbox", t("train.same_budget"), "same_budget", help=t("train.same_budget_help"))
    c1, c2 = sb.columns(2)
    number(c1, t("train.hidden_size"), "hidden_size")
    number(c2, t("train.num_layers"), "num_layers")
    number(c1, t("train.embed_size"), "embed_size")
    number(c2, t("train.dropout"), "dropout", step=0.05)
    number(c1, t("train.seq_len"), "seq_len")
    number(c2, t("train.batch_size"), "batch_size")
    number(c1, t("train.learning_rate"), "learning_rate", format="%.4f", step=1e-3)
    choice(c2, "selectbox", t("train.optimizer"), "optimizer", OPTIMIZERS)
    choice(c1, "checkbox", t("train.clip"), "clip")
    number(c2, t("train.clip_norm"), "clip_norm")
    choice(c1, "selectbox", t("train.init"), "init", INIT_SCHEMES)
    number(c2, t("train.radius"), "radius", step=0.1)
    number(c1, t("train.forget_bias"), "forget_bias", step=0.5)
    number(c2, t("train.seed"), "seed")
    number(c1, t("train.steps"), "steps")
    number(c2, t("train.sample_every"), "sample_every")
    number(c1, t("train.repeats"), "repeats", help=t("train.repeats_help"))
    values = {
        field: st.session_state[WIDGET + field]
        for field in asdict(config)
        if WIDGET + field in st.session_state and field not in fixed
    }
    if "cells" in values:
        values["cells"] = tuple(values["cells"])
    new = replace(config, **values)
    st.session_state[SETTINGS_KEY] = new
    params = {**to_query_params(new), **_lock_params(locks), **language_param()}
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    if not locks.locked:  # a student on a teacher's link gets the page, not the sharing tools
        share_panel(
            {PAGE: PAGE_NAME}, to_query_params(new, include_defaults=True), to_query_params(new), key="share.Train"
        )
    return new


def remember_corpus(source_key: str = "train.corpus.source") -> None:
    """Keep a named corpus choice in the settings and the URL (uploads and pastes cannot be linked)."""
    from rnnviz.charlm.corpora import CORPUS_NAMES

    source = st.session_state.get(source_key)
    config = st.session_state[SETTINGS_KEY]
    if source in CORPUS_NAMES and source != config.corpus:
        st.session_state[SETTINGS_KEY] = replace(config, corpus=source)
        st.query_params.from_dict({**to_query_params(st.session_state[SETTINGS_KEY]), **language_param()})

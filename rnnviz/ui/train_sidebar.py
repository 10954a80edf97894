"""The Train page's settings widgets, each drawn through the page's one ``UrlSettings``: kept in step with the URL,
lockable by a teacher's link, and in the "Share with a class" panel like every lab's. The Train link's own rules
(presets, clamping, cells by key, the short names) come from ``rnnviz/ui/train_url.py``."""

from __future__ import annotations

from dataclasses import fields, replace
from functools import partial

import streamlit as st

from rnnviz.cells import ALL_CELL_LABELS
from rnnviz.charlm.corpora import CORPUS_NAMES
from rnnviz.i18n import labeller, t
from rnnviz.labs.train_settings import BOUNDS, CHOICES, PRESETS, TrainSettings, url_key
from rnnviz.ui.train_url import PRESET, preset_of, read_field, write_field
from rnnviz.ui.url_state import UrlSettings, keep_in_url

SETTINGS_KEY = "train.settings"  # the session's TrainSettings: where a widget starts when it has no state
WARNINGS_KEY = "train.url_warnings"  # a first visit's warnings about the link's preset, shown once

PAGE_NAME = "Train"
WIDGET = "train.w."
CORPUS_SOURCE = "train.corpus.source"  # the corpus picker's widget (rnnviz/ui/corpus_picker.py)
DEFAULTS = TrainSettings()


def current_settings() -> TrainSettings:
    """The session's settings: the ones last drawn, or on a first visit the link's preset (else the defaults). The
    link's single values go on top as the sidebar draws each setting."""
    if SETTINGS_KEY not in st.session_state:
        settings, warnings = preset_of(dict(st.query_params))
        st.session_state[SETTINGS_KEY] = settings
        st.session_state[WARNINGS_KEY] = warnings
    return st.session_state[SETTINGS_KEY]


def _apply_preset() -> None:
    """Start every setting again from the preset picked: widget states and the link's values make way for it."""
    name = st.session_state[WIDGET + "preset"]
    if name in PRESETS:
        st.session_state[SETTINGS_KEY] = PRESETS[name]
        for field in fields(TrainSettings):
            st.session_state.pop(WIDGET + field.name, None)
            st.query_params.pop(url_key(field.name), None)
        st.session_state.pop(CORPUS_SOURCE, None)  # so the corpus picker opens on the preset's corpus


def _preset_picker() -> None:
    """The preset selectbox: a starting point, not a setting, so not in the link (the link carries what it set)."""
    st.sidebar.selectbox(
        t("train.preset"),
        ["(custom)", *PRESETS],
        key=WIDGET + "preset",
        on_change=_apply_preset,
        format_func=labeller("train.presets.", fallback="train.custom"),
    )


def _reader(field: str, base: TrainSettings):
    """``read_field`` for ``UrlSettings``: the Train link's rules, and its warnings in the page's words."""

    def read(raw: str):
        value, warnings = read_field(field, raw, base)
        return value, [t("train.link_warning", warning=warning) for warning in warnings]

    return read


class _Fields:
    """Draws one setting per call, through the page's ``UrlSettings``, with the Train link's rules for it."""

    def __init__(self, url: UrlSettings, config: TrainSettings):
        self.url, self.config, self.values = url, config, {}

    def draw(self, method: str, container, label: str, field: str, *args, **kwargs) -> None:
        """``method`` of ``UrlSettings`` (``select``, ``radio``, ...): ``args`` are what it takes before the
        default (the options, or nothing); the link's name and the widget's key follow from ``field``."""
        widget = getattr(self.url, method)
        default = getattr(DEFAULTS, field)
        key = WIDGET + field
        start, read, write = getattr(self.config, field), _reader(field, self.config), partial(write_field, field)
        self.values[field] = widget(
            label, *args, default, url_key(field), key, container, start=start, read=read, write=write, **kwargs
        )

    def number(self, container, label: str, field: str, **kwargs) -> None:
        low, high = BOUNDS[field]  # the same bounds a link is clamped to
        self.draw("number", container, label, field, low, high, **kwargs)


def _draw_fields(settings: _Fields) -> None:
    """Every setting but the corpus (the page's corpus picker draws that), in the sidebar's order."""
    sb = st.sidebar
    settings.draw("multiselect", sb, t("train.cells"), "cells", list(ALL_CELL_LABELS), help=t("train.cells_help"))
    settings.draw(
        "radio",
        sb,
        t("train.tokens"),
        "tokens",
        CHOICES["tokens"],
        horizontal=True,
        format_func=labeller("train.token_kind."),
        help=t("train.tokens_help"),
    )
    settings.draw("checkbox", sb, t("train.same_budget"), "same_budget", help=t("train.same_budget_help"))
    c1, c2 = sb.columns(2)
    settings.number(c1, t("train.hidden_size"), "hidden_size")
    settings.number(c2, t("train.num_layers"), "num_layers")
    settings.number(c1, t("train.embed_size"), "embed_size")
    settings.number(c2, t("train.dropout"), "dropout", step=0.05)
    settings.number(c1, t("train.seq_len"), "seq_len")
    settings.number(c2, t("train.batch_size"), "batch_size")
    settings.number(c1, t("train.learning_rate"), "learning_rate", format="%.4f", step=1e-3)
    settings.draw("select", c2, t("train.optimizer"), "optimizer", CHOICES["optimizer"])
    settings.draw("checkbox", c1, t("train.clip"), "clip")
    settings.number(c2, t("train.clip_norm"), "clip_norm")
    settings.draw("select", c1, t("train.init"), "init", CHOICES["init"])
    settings.number(c2, t("train.radius"), "radius", step=0.1)
    settings.number(c1, t("train.forget_bias"), "forget_bias", step=0.5)
    settings.number(c2, t("train.seed"), "seed")
    settings.number(c1, t("train.steps"), "steps")
    settings.number(c2, t("train.sample_every"), "sample_every")
    settings.number(c1, t("train.repeats"), "repeats", help=t("train.repeats_help"))


def settings_sidebar(config: TrainSettings) -> TrainSettings:
    """Draw every setting; return the settings as they now stand (also written to the URL). Settings a teacher's
    link locked are shown as text (or not at all) and keep the link's values; a changed link's, the defaults."""
    for warning in st.session_state.pop(WARNINGS_KEY, []):
        st.warning(t("train.link_warning", warning=warning))
    url = UrlSettings(PAGE_NAME)
    if not url.locks.locked:  # a student on a teacher's link keeps the teacher's starting point
        _preset_picker()
    config = st.session_state[SETTINGS_KEY]  # a preset picked just now replaced it
    corpus = url.linked(
        DEFAULTS.corpus, url_key("corpus"), start=config.corpus, read=_reader("corpus", config), write=str
    )
    settings = _Fields(url, config)
    _draw_fields(settings)
    values = {**settings.values, "corpus": corpus, "cells": tuple(settings.values["cells"])}
    new = replace(config, **values)
    st.session_state[SETTINGS_KEY] = new
    st.query_params.pop(PRESET, None)  # the link now names every value the preset set; its name would mislead
    url.share_panel()  # not shown to a student who arrived on a locked link
    return new


def remember_corpus(source_key: str = CORPUS_SOURCE) -> None:
    """Keep a named corpus choice in the settings and the URL (uploads and pastes cannot be linked)."""
    source = st.session_state.get(source_key)
    config = st.session_state[SETTINGS_KEY]
    if source in CORPUS_NAMES and source != config.corpus:
        st.session_state[SETTINGS_KEY] = replace(config, corpus=source)
        keep_in_url(url_key("corpus"), source, DEFAULTS.corpus)

"""Inspect: gates, hidden and cell states, and interpretable neurons over any text."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.inspect_view import (
    compare_section,
    gates_section,
    link_the_unit,
    neurons_section,
    next_char_section,
    open_at_best_unit,
    run_trace,
    saturation_section,
    text_input,
    trajectory_section,
)
from rnnviz.ui.model_picker import pick_model, pick_models
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.state import INSPECT_MODEL_SOURCE_KEY
from rnnviz.ui.url_state import UrlSettings

setup_page("Inspect", "🔍")
st.title(t("nav.inspect"))
st.caption(t("inspect.caption"))

url = UrlSettings("Inspect")  # the model and a short text have a deep link
source = st.session_state.get(INSPECT_MODEL_SOURCE_KEY)
picked = pick_model(t("inspect.model"), key="inspect.model", default_source=source, url=url)
if picked is not None:
    source, ckpt = picked
    text = text_input(ckpt, source, url)
    trace = run_trace(ckpt, text)
    if trace is not None:
        open_at_best_unit(trace, source)
        layer = st.selectbox(t("inspect.layer"), list(range(ckpt.config.num_layers)), key="inspect.layer")
        next_tab = t("inspect.tab.next_word" if ckpt.vocab.kind == "words" else "inspect.tab.next_char")
        names = ("neurons", "gates", "trajectory", "saturation")
        tabs = st.tabs([*(t(f"inspect.tab.{name}") for name in names), next_tab, t("inspect.tab.compare")])
        with tabs[0]:
            neurons_section(trace, layer)
        with tabs[1]:
            gates_section(trace, layer)
        with tabs[2]:
            trajectory_section(trace, layer)
        with tabs[3]:
            saturation_section(trace, layer)
        with tabs[4]:
            next_char_section(ckpt, trace)
        with tabs[5]:
            if st.toggle(t("inspect.compare"), key="inspect.compare"):
                others = pick_models(t("inspect.compare_models"), key="inspect.compare_models", default_count=3)
                if others:
                    compare_section(others, text, ckpt.vocab.kind)
    if trace is not None:
        link_the_unit(url)
url.share_panel()

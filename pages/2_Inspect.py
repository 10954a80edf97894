"""Inspect: gates, hidden and cell states, and interpretable neurons over any text."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.inspect_view import (
    attention_section,
    compare_section,
    gates_section,
    intervene_section,
    link_the_unit,
    neurons_section,
    next_char_section,
    open_at_best_unit,
    pick_view,
    run_trace,
    saturation_section,
    step_size_section,
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
        view = pick_view(url, ckpt.vocab.kind, ckpt.config.cell)  # only the chosen view is built and sent
        if view == "neurons":
            neurons_section(trace, layer)
        elif view == "gates":
            gates_section(trace, layer)
        elif view == "trajectory":
            trajectory_section(trace, layer)
        elif view == "saturation":
            saturation_section(trace, layer)
        elif view == "step":  # the selective SSM's
            step_size_section(trace, layer)
        elif view == "attention":  # the Transformer's
            attention_section(trace, layer)
        elif view == "next":
            next_char_section(ckpt, trace)
        elif view == "intervene":  # the classic cells': clamp a unit, beside the untouched run
            intervene_section(ckpt, trace, layer, url, source)
        else:
            others = pick_models(t("inspect.compare_models"), key="inspect.compare_models", default_count=3)
            if others:
                compare_section(others, text, ckpt.vocab.kind)
    if trace is not None:
        link_the_unit(url)
url.share_panel()

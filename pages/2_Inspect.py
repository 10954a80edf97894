"""Inspect: gates, hidden and cell states, and interpretable neurons over any text."""

import streamlit as st

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
from rnnviz.ui.url_state import UrlSettings

setup_page("Inspect", "🔍")
st.title("Inspect")
st.caption("Everything a model computes on a text, from its own weights, checked against PyTorch's fused layer.")

url = UrlSettings("Inspect")  # the model and a short text have a deep link
picked = pick_model("Model", key="inspect.model", default_source=st.session_state.get("inspect.model_source"), url=url)
if picked is not None:
    source, ckpt = picked
    text = text_input(ckpt, source, url)
    trace = run_trace(ckpt, text)
    if trace is not None:
        open_at_best_unit(trace, source)
        layer = st.selectbox("Layer", list(range(ckpt.config.num_layers)), key="inspect.layer")
        tabs = st.tabs(["Neurons over text", "Gates & states", "Trajectory", "Saturation", "Next char", "Compare"])
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
            if st.toggle("Compare models on this text", key="inspect.compare"):
                others = pick_models("Models to compare", key="inspect.compare_models", default_count=3)
                if others:
                    compare_section(others, trace.text)
    if trace is not None:
        link_the_unit(url)
url.share_panel()

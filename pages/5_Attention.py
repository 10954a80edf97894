"""Attention: a small encoder-decoder learns a toy translation live; watch its attention sharpen."""

import streamlit as st

from rnnviz.ui.attention_view import controls, free_text_section, training_section
from rnnviz.ui.navigation import setup_page

setup_page("Attention", "🎯")
st.title("Attention")
st.caption("Seq2seq with attention: the decoder learns where to look in the input for every character it writes.")

config = controls()
training_section(config)
free_text_section()

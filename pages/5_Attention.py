"""Attention: a small encoder-decoder learns a toy translation live; watch its attention sharpen."""

import streamlit as st

from rnnviz.ui.attention_view import controls, free_text_section, training_section
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.url_state import UrlSettings

setup_page("Attention", "🎯")
st.title("Attention")
st.caption("Seq2seq with attention: the decoder learns where to look in the input for every character it writes.")

url = UrlSettings("Attention")  # every setting has a deep link
config = controls(url)
training_section(config)
free_text_section()
url.share_panel()

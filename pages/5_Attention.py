"""Attention: a small encoder-decoder learns a toy translation live; watch its attention sharpen."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.attention_view import controls, free_text_section, training_section
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.url_state import UrlSettings

setup_page("Attention", "🎯")
st.title(t("nav.attention"))
st.caption(t("attn.caption"))

url = UrlSettings("Attention")  # every setting has a deep link
config = controls(url)
training_section(config)
free_text_section()
url.share_panel()

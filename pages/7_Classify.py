"""Classify: sentiment of human-rated movie-review sentences; RNN, LSTM, GRU and bidirectional models against a bag
of words, live."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.classify_view import controls, negation_section, sentence_section, training_section
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.url_state import UrlSettings

setup_page("Classify", "💬")
st.title(t("nav.classify"))
st.caption(t("classify.caption"))

url = UrlSettings("Classify")  # every setting has a deep link
source = sentence_section(url)
negation_section(source)
choice = controls(url)
training_section(choice)
url.share_panel()

"""Classify: sentiment of human-rated movie-review sentences; RNN, LSTM, GRU and bidirectional models against a bag
of words, live."""

import streamlit as st

from rnnviz.ui.classify_view import controls, negation_section, sentence_section, training_section
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.url_state import UrlSettings

setup_page("Classify", "💬")
st.title("Classify")
st.caption("Text classification: a recurrent network reads a sentence word by word and says whether it is positive "
           "or negative. The sentences and their labels come from people: 20 raters each.")  # fmt: skip

url = UrlSettings("Classify")  # every setting has a deep link
source = sentence_section(url)
negation_section(source)
choice = controls(url)
training_section(choice)
url.share_panel()

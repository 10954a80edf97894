"""Train: RNN, LSTM and GRU learn the same text side by side, live."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.corpus_picker import corpus_preview, pick_corpus
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.train_sidebar import current_settings, remember_corpus, settings_sidebar
from rnnviz.ui.train_upload import upload_checkpoint_section
from rnnviz.ui.train_view import controls, live_section, scaling_section

setup_page("Train", "🔁")
st.title(t("nav.train"))
st.caption(t("train.caption"))

config = settings_sidebar(current_settings())
data = pick_corpus(config.corpus, key="train.corpus", tokens=config.tokens)
remember_corpus()
if data is not None:
    corpus_preview(data)
controls(data, config)
left, right = st.columns(2)
show_baselines = left.toggle(t("train.show_baselines"), value=True, key="train.baselines")
bits = right.toggle(t("train.bits"), value=False, key="train.bits", help=t("train.bits_help"))
live_section(show_baselines, bits)
upload_checkpoint_section()
scaling_section()

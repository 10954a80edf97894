"""Train: RNN, LSTM and GRU learn the same text side by side, live."""

import streamlit as st

from rnnviz.ui.corpus_picker import corpus_preview, pick_corpus
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.train_sidebar import current_settings, remember_corpus, settings_sidebar
from rnnviz.ui.train_upload import upload_checkpoint_section
from rnnviz.ui.train_view import controls, live_section

setup_page("Train", "🔁")
st.title("Train")
st.caption("The same seed, the same batches and the same settings for every cell: a fair race.")

config = settings_sidebar(current_settings())
data = pick_corpus(config.corpus, key="train.corpus")
remember_corpus()
if data is not None:
    corpus_preview(data)
controls(data, config)
left, right = st.columns(2)
show_baselines = left.toggle("n-gram baselines on the loss chart", value=True, key="train.baselines")
bits = right.toggle("Loss in bits per char", value=False, key="train.bits")
live_section(show_baselines, bits)
upload_checkpoint_section()

"""The home page's content, kept out of app.py so the page file reads like a description."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.pretrained import list_pretrained
from rnnviz.ui.server_status import render_server_status

PAGES = [
    ("pages/1_Train.py", "Train", "RNN, LSTM and GRU learn the same text side by side, live."),
    ("pages/2_Inspect.py", "Inspect", "Gates, hidden and cell states, and interpretable neurons over any text."),
    ("pages/3_Generate.py", "Generate", "Text generation with temperature, top-k, top-p and seed."),
    ("pages/4_Gradients.py", "Gradients", "Watch gradients vanish in an RNN and survive in an LSTM and GRU."),
    ("pages/5_Attention.py", "Attention", "A seq2seq model learns to normalise dates; see its attention."),
]


def render_home() -> None:
    st.title("rnnviz: recurrent networks, trained live and opened up")
    st.markdown(
        "Train a vanilla **RNN**, an **LSTM** and a **GRU** side by side in your browser, then look inside: "
        "gate activations, hidden and cell states, gradient norms decaying over time steps, and the text "
        "each model writes. Everything shown is computed exactly from the trained weights: the app replays "
        "them through the textbook equations and checks the result against PyTorch's fused layers."
    )
    st.subheader("Pages")
    for path, label, description in PAGES:
        st.page_link(path, label=f"**{label}**: {description}")
    pretrained_table()
    st.caption("Runs offline: the default corpus is the Python documentation that ships with Python itself.")
    render_server_status()


def pretrained_table() -> None:
    """The shipped checkpoints with their model cards: ready on Inspect, Generate and Gradients at once."""
    infos = list_pretrained(kind=None)
    if not infos:
        return
    st.subheader("Pretrained models")
    rows = []
    for info in infos:
        card = info.card
        seq2seq = info.kind == "seq2seq"
        rows.append({
            "name": info.name,
            "model": f"seq2seq, {card.get('attention')} attention" if seq2seq else card.get("label"),
            "corpus": f"{card.get('task')} task" if seq2seq else card.get("corpus"),
            "parameters": card.get("parameters"), "steps": card.get("steps"),
            "validation loss (nats/char)": card.get("val_loss_nats"), "bits/char": card.get("val_bpc"),
            "held-out exact match": card.get("held_out_exact_match"),
            "trained on": card.get("hardware"), "wall time (s)": card.get("wall_seconds"),
        })  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="home.pretrained")
    with st.expander("How each was trained (the exact commands)"):
        for info in infos:
            st.markdown(f"**{info.name}**")
            st.code(info.card.get("training_command", "?"), language="bash", wrap_lines=True)

"""The home page's content, kept out of app.py so the page file reads like a description."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.lessons.catalogue import LESSONS
from rnnviz.pretrained import list_pretrained
from rnnviz.ui.navigation import LABS
from rnnviz.ui.server_status import render_server_status

LAB_DESCRIPTIONS = {
    "Train": "RNN, LSTM and GRU learn the same text side by side, live.",
    "Inspect": "Gates, hidden and cell states, and interpretable neurons over any text.",
    "Generate": "Text generation with temperature, top-k, top-p and seed.",
    "Gradients": "Watch gradients vanish in an RNN and survive in an LSTM and GRU; long-memory tasks.",
    "Attention": "A seq2seq model learns to reverse strings or normalise dates; see its attention.",
    "Tag": "Names, places and organisations in Chinese news: why reading both ways helps, live.",
    "Classify": "Sentiment of movie-review sentences: RNN, LSTM, GRU and BiLSTM against a bag of words.",
}


def render_home() -> None:
    st.title("rnnviz: recurrent networks, trained live and opened up")
    st.markdown(
        "Train a vanilla **RNN**, an **LSTM** and a **GRU** side by side in your browser, then look inside: "
        "gate activations, hidden and cell states, gradient norms decaying over time steps, and the text "
        "each model writes. Everything shown is computed exactly from the trained weights: the app replays "
        "them through the textbook equations and checks the result against PyTorch's fused layers."
    )
    learn, explore = st.columns(2)
    with learn:
        st.subheader("Learn")
        st.caption("Guided lessons: predict, run a live experiment, see why.")
        for lesson in LESSONS.values():
            st.page_link("pages/0_Lessons.py", label=f"**{lesson.title}**", icon=":material/school:",
                         query_params={"lesson": lesson.key})  # fmt: skip
            st.caption(f"{lesson.summary} About {lesson.minutes} minutes.")
    with explore:
        st.subheader("Explore")
        st.caption("The labs, every setting open.")
        for path, label, icon in LABS:
            st.page_link(path, label=f"**{label}**", icon=icon)
            st.caption(LAB_DESCRIPTIONS[label])
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
        if info.kind == "seq2seq":
            model, data = f"seq2seq, {card.get('attention')} attention", f"{card.get('task')} task"
            quality = (
                f"held-out exact match {card['held_out_exact_match']:.1%}" if "held_out_exact_match" in card else ""
            )
        elif info.kind == "tagger":
            model, data = f"{card.get('label', '')} tagger", card.get("corpus", "")
            quality = f"test entity F1 {card['test_f1']:.3f}" if "test_f1" in card else ""
        elif info.kind == "classifier":
            model, data = f"{card.get('label', '')} classifier", card.get("data", "")
            quality = f"test accuracy {card['test_accuracy']:.3f}" if "test_accuracy" in card else ""
        else:
            model, data = card.get("label", ""), card.get("corpus", "")
            loss = card.get("val_loss_nats")
            quality = f"validation {loss:.4f} nats/char ({card.get('val_bpc', 0):.3f} bits)" if loss else ""
        rows.append({
            "name": info.name, "model": model, "trained on": data, "quality": quality or "not measured",
            "parameters": f"{card['parameters']:,}" if card.get("parameters") else "not recorded",
            "steps": f"{card['steps']:,}" if card.get("steps") else "not recorded",
            "hardware": card.get("hardware", "not recorded"),
            "wall time": f"{card['wall_seconds']:.0f} s" if card.get("wall_seconds") else "not recorded",
        })  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="home.pretrained")
    with st.expander("How each was trained (the exact commands)"):
        for info in infos:
            st.markdown(f"**{info.name}**")
            st.code(info.card.get("training_command", "?"), language="bash", wrap_lines=True)

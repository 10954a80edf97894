"""Corpus choice: the embedded corpora, Tiny Shakespeare on demand, an upload, or pasted text."""

from __future__ import annotations

import streamlit as st

from rnnviz.charlm.baselines import Baselines, compute_baselines
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import (
    CORPUS_DESCRIPTIONS,
    Corpus,
    CorpusError,
    decode_user_text,
    load_corpus,
    shakespeare_path,
)

SOURCES = ["python-docs", "python-code", "shakespeare", "upload a .txt file", "paste text"]


@st.cache_resource(show_spinner=False, max_entries=4)
def _named_corpus_data(name: str) -> CorpusData:
    return CorpusData.from_corpus(load_corpus(name))


@st.cache_data(show_spinner="Counting n-grams for the baselines...", max_entries=8)
def corpus_baselines(sha256: str, _data: CorpusData) -> Baselines:
    train = _data.vocab.decode(_data.train_ids.tolist())
    val = _data.vocab.decode(_data.val_ids.tolist())
    return compute_baselines(train, val, _data.vocab.size)


def _download_shakespeare() -> CorpusData:
    bar = st.progress(0.0, text="Downloading Tiny Shakespeare...")

    def progress(done: int, total: int) -> None:
        bar.progress(
            min(1.0, done / total) if total else 0.0, text=f"Downloading Tiny Shakespeare: {done / 1e6:.2f} MB"
        )

    corpus = load_corpus("shakespeare", progress=progress)
    bar.empty()
    data = CorpusData.from_corpus(corpus)
    _named_corpus_data.clear()
    return data


def pick_corpus(default: str, key: str = "corpus") -> CorpusData | None:
    """Draw the corpus picker; return the chosen corpus ready for training, or None with a message."""
    index = SOURCES.index(default) if default in SOURCES else 0
    source = st.selectbox("Corpus", SOURCES, index=index, key=f"{key}.source")
    if source in CORPUS_DESCRIPTIONS:
        st.caption(CORPUS_DESCRIPTIONS[source])
    try:
        if source == "shakespeare":
            if shakespeare_path().is_file():
                return _named_corpus_data("shakespeare")
            if st.button("Download Tiny Shakespeare (1.1 MB)", key=f"{key}.download"):
                return _download_shakespeare()
            st.info(f"Tiny Shakespeare is not downloaded yet (it will be cached at {shakespeare_path()}).")
            return None
        if source in ("python-docs", "python-code"):
            return _named_corpus_data(source)
        if source == "upload a .txt file":
            upload = st.file_uploader("Text file (UTF-8)", type=["txt", "md", "py", "csv"], key=f"{key}.upload")
            if upload is None:
                return None
            text = decode_user_text(upload.getvalue())
            return CorpusData.from_corpus(Corpus(upload.name, text))
        pasted = st.text_area("Paste text to train on", key=f"{key}.paste", height=150)
        if not pasted:
            return None
        return CorpusData.from_corpus(Corpus("pasted text", decode_user_text(pasted.encode("utf-8"))))
    except CorpusError as exc:
        st.error(str(exc))
        return None


def corpus_preview(data: CorpusData) -> None:
    chars = len(data.train_ids) + len(data.val_ids)
    st.caption(
        f"**{data.name}**: {chars:,} characters, {data.vocab.size} distinct; "
        f"{len(data.train_ids):,} for training, the last {len(data.val_ids):,} for validation."
    )
    with st.expander("Preview"):
        st.code(data.vocab.decode(data.train_ids[:600].tolist()), language=None)

"""Corpus choice: the embedded corpora, Tiny Shakespeare on demand, an upload, or pasted text."""

from __future__ import annotations

import streamlit as st

from rnnviz.charlm.baselines import Baselines, compute_baselines
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import (
    CORPUS_NAMES,
    Corpus,
    CorpusError,
    decode_user_text,
    load_corpus,
    shakespeare_path,
)
from rnnviz.charlm.vocab import MAX_WORD_VOCAB, UNK_CHAR
from rnnviz.i18n import labeller, t
from rnnviz.tokens import UNK

SOURCES = ["python-docs", "python-code", "shakespeare", "song-ci", "tang-poems", "upload a .txt file", "paste text"]


@st.cache_resource(show_spinner=False, max_entries=4)
def _named_corpus_data(name: str, tokens: str = "chars") -> CorpusData:
    return CorpusData.from_corpus(load_corpus(name), tokens=tokens)


@st.cache_data(show_spinner=False, max_entries=8)
def corpus_baselines(sha256: str, tokens: str, _data: CorpusData) -> Baselines:
    """The n-gram baselines on the tokens the models predict (characters, or word-token ids)."""
    train, val = _data.baseline_sequences()
    return compute_baselines(train, val, _data.vocab.size)


def _download_shakespeare(tokens: str) -> CorpusData:
    bar = st.progress(0.0, text=t("corpus.downloading"))

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 0.0, text=t("corpus.downloaded_mb", mb=done / 1e6))

    corpus = load_corpus("shakespeare", progress=progress)
    bar.empty()
    data = CorpusData.from_corpus(corpus, tokens=tokens)
    _named_corpus_data.clear()
    return data


def source_labeller():
    """The picker's ``format_func``: corpus names as they are, the other two choices translated."""
    translate = labeller("corpus.source.")
    return lambda source: source if source in CORPUS_NAMES else translate(source.split()[0])


def pick_corpus(default: str, key: str = "corpus", tokens: str = "chars") -> CorpusData | None:
    """Draw the corpus picker; return the chosen corpus ready for training on ``tokens`` (characters or words), or
    None with a message."""
    index = SOURCES.index(default) if default in SOURCES else 0
    source = st.selectbox(t("corpus.label"), SOURCES, index=index, key=f"{key}.source", format_func=source_labeller())
    if source in CORPUS_NAMES:
        st.caption(t(f"corpus.describe.{source}"))
    try:
        if source == "shakespeare":
            if shakespeare_path().is_file():
                return _named_corpus_data("shakespeare", tokens)
            if st.button(t("corpus.download"), key=f"{key}.download"):
                return _download_shakespeare(tokens)
            st.info(t("corpus.not_downloaded", path=shakespeare_path()))
            return None
        if source in ("python-docs", "python-code", "song-ci", "tang-poems"):
            return _named_corpus_data(source, tokens)
        if source == "upload a .txt file":
            upload = st.file_uploader(t("corpus.text_file"), type=["txt", "md", "py", "csv"], key=f"{key}.upload")
            if upload is None:
                return None
            text = decode_user_text(upload.getvalue())
            return CorpusData.from_corpus(Corpus(upload.name, text), tokens=tokens)
        pasted = st.text_area(t("corpus.paste"), key=f"{key}.paste", height=150)
        if not pasted:
            return None
        return CorpusData.from_corpus(Corpus("pasted text", decode_user_text(pasted.encode("utf-8"))), tokens=tokens)
    except CorpusError as exc:
        st.error(str(exc))
        return None


def corpus_preview(data: CorpusData) -> None:
    count = len(data.train_ids) + len(data.val_ids)
    if data.vocab.kind == "words":
        unknown = int((data.train_ids == UNK).sum() + (data.val_ids == UNK).sum())
        split = dict(train=len(data.train_ids), val=len(data.val_ids))
        st.caption(
            t(
                "corpus.words_preview",
                name=data.name,
                count=count,
                size=data.vocab.size,
                cap=MAX_WORD_VOCAB,
                unknown=unknown,
                share=unknown / count,
                **split,
            )
        )
    elif data.vocab.reads_unknown_as_unk:
        unknown = int((data.train_ids == data.vocab.chars.index(UNK_CHAR)).sum())
        unknown += int((data.val_ids == data.vocab.chars.index(UNK_CHAR)).sum())
        split = dict(train=len(data.train_ids), val=len(data.val_ids))
        st.caption(
            t(
                "corpus.capped_chars_preview",
                name=data.name,
                count=count,
                size=data.vocab.size,
                unknown=unknown,
                share=unknown / count,
                **split,
            )
        )
    else:
        st.caption(
            t(
                "corpus.chars_preview",
                name=data.name,
                count=count,
                size=data.vocab.size,
                train=len(data.train_ids),
                val=len(data.val_ids),
            )
        )
    with st.expander(t("corpus.preview")):
        st.code(data.vocab.decode(data.train_ids[:600].tolist()), language=None)

"""Choosing models: this session's trained ones, uploaded ones, and the pretrained set."""

from __future__ import annotations

import streamlit as st

from rnnviz.charlm.checkpoint import Checkpoint
from rnnviz.i18n import current_language, t
from rnnviz.ui.state import available_models, checkpoint_from_upload, get_model, register_model
from rnnviz.ui.url_state import UrlSettings

PREFERRED = ("shakespeare-lstm", "shakespeare-gru", "shakespeare-rnn")
PREFERRED_IN = {"zh": ("song-ci-lstm", *PREFERRED)}  # a Chinese page opens on the Song ci model


def preferred() -> tuple[str, ...]:
    return PREFERRED_IN.get(current_language(), PREFERRED)


def upload_model(key: str) -> None:
    """Add an uploaded .safetensors checkpoint to this session's models (never unpickled)."""
    with st.expander(t("models.upload")):
        upload = st.file_uploader(t("models.checkpoint"), type=["safetensors"], key=f"{key}.upload")
        if upload is not None:
            ckpt = checkpoint_from_upload(upload)
            if ckpt is not None:
                register_model(f"{upload.name.rsplit('.', 1)[0]} (uploaded)", ckpt)
                st.success(t("models.loaded", label=ckpt.config.label))


def card_caption(ckpt: Checkpoint) -> str:
    card = ckpt.card
    loss = card.get("val_loss_nats")
    parts = [
        ckpt.config.label,
        t("models.parameters", n=ckpt.model.num_parameters()),
        t("models.trained_on", corpus=card.get("corpus", "?")),
    ]
    if loss:
        parts.append(t("models.validation", loss=loss, per=t(f"units.{ckpt.vocab.unit}")))
    if ckpt.vocab.kind == "words":
        parts.append(t("models.word_tokens", size=ckpt.vocab.size))
    if card.get("steps"):
        parts.append(t("models.steps", n=card["steps"]))
    return " · ".join(parts)


def pick_model(
    label: str, key: str, default_source: str | None = None, url: UrlSettings | None = None
) -> tuple[str, Checkpoint] | None:
    """One model; with ``url`` the choice has a deep link (``?model=...``)."""
    upload_model(key)
    options = available_models()
    if not options:
        st.info(t("models.none"))
        return None
    names = list(options)
    sources = list(options.values())
    first = [i for p in preferred() for i, s in enumerate(sources) if s == f"pretrained:{p}"]
    index = sources.index(default_source) if default_source in sources else (first[0] if first else 0)
    if url is not None and default_source is None:
        name = url.select(label, names, names[index], "model", key)
    else:
        name = st.selectbox(label, names, index=index, key=key)
    ckpt = get_model(options[name])
    st.caption(card_caption(ckpt))
    return options[name], ckpt


def pick_models(
    label: str, key: str, max_models: int = 3, default_count: int = 1, url: UrlSettings | None = None
) -> list[tuple[str, Checkpoint]]:
    """Several models; with ``url`` the choice has a deep link (``?models=...``)."""
    upload_model(key)
    options = available_models()
    if not options:
        st.info(t("models.none"))
        return []
    names = list(options)
    first = [n for p in preferred() for n in names if n.startswith(p + " ")]
    default = (first + [n for n in names if n not in first])[:default_count]
    if url is not None:
        chosen = url.multiselect(label, names, default, "models", key, max_selections=max_models)
    else:
        chosen = st.multiselect(label, names, default=default, max_selections=max_models, key=key)
    return [(name, get_model(options[name])) for name in chosen]

"""Session state shared across pages: the trained models of this session, and what one page hands another.

Keys owned by no widget (widgets' values are deleted when their page is not drawn). A key that one page's module
writes and another page's module reads is named here, once, so the two cannot drift apart.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.charlm.checkpoint import Checkpoint, CheckpointError, load_checkpoint
from rnnviz.i18n import t
from rnnviz.pretrained import list_pretrained, load_pretrained
from rnnviz.ui.session_cleanup import watch_this_session

MODELS_KEY = "rnnviz.models"  # name -> Checkpoint, for Inspect / Generate / Gradients
# Generate's "Inspect this" sends the generated text and the model that wrote it: Inspect's text box takes the
# text in once, and its model picker starts on that model.
INSPECT_PENDING_TEXT_KEY = "inspect.pending"  # the text Inspect opens on (a link's ?text= comes in the same way)
INSPECT_MODEL_SOURCE_KEY = "inspect.model_source"  # that model's source key, "session:NAME" or "pretrained:NAME"


def session_models() -> dict[str, Checkpoint]:
    return st.session_state.setdefault(MODELS_KEY, {})


def register_model(name: str, checkpoint: Checkpoint) -> None:
    watch_this_session()
    session_models()[name] = checkpoint


def available_models() -> dict[str, str]:
    """Display name -> source key: this session's models first, then the pretrained ones."""
    options = {f"{name} (this session)": f"session:{name}" for name in session_models()}
    for info in list_pretrained():
        options[f"{info.name} (pretrained)"] = f"pretrained:{info.name}"
    return options


def get_model(source: str) -> Checkpoint:
    kind, _, name = source.partition(":")
    if kind == "session":
        return session_models()[name]
    return load_pretrained(name)


def checkpoint_from_upload(upload) -> Checkpoint | None:
    """Load an uploaded checkpoint safely; show the reason and return None when it is refused."""
    try:
        return load_checkpoint(upload.getvalue())
    except CheckpointError as exc:
        st.error(t("common.could_not_load", name=upload.name, error=exc))
        return None

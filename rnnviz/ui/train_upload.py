"""Load a checkpoint someone saved earlier, safely, into this session's models."""

from __future__ import annotations

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.state import checkpoint_from_upload, register_model


def upload_checkpoint_section() -> None:
    with st.expander(t("train.load_checkpoint")):
        upload = st.file_uploader(t("models.checkpoint"), type=["safetensors"], key="train.ckpt_upload")
        if upload is None:
            return
        checkpoint = checkpoint_from_upload(upload)
        if checkpoint is None:
            return
        name = f"{upload.name.rsplit('.', 1)[0]} (uploaded)"
        register_model(name, checkpoint)
        st.success(t("train.loaded", label=checkpoint.config.label, steps=checkpoint.step))

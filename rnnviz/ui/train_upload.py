"""Load a checkpoint someone saved earlier, safely, into this session's models."""

from __future__ import annotations

import streamlit as st

from rnnviz.ui.state import checkpoint_from_upload, register_model


def upload_checkpoint_section() -> None:
    with st.expander("Load a saved checkpoint (.safetensors)"):
        upload = st.file_uploader("Checkpoint", type=["safetensors"], key="train.ckpt_upload")
        if upload is None:
            return
        checkpoint = checkpoint_from_upload(upload)
        if checkpoint is None:
            return
        name = f"{upload.name.rsplit('.', 1)[0]} (uploaded)"
        register_model(name, checkpoint)
        st.success(
            f"Loaded {checkpoint.config.label} trained {checkpoint.step:,} steps; "
            "it is now on the Inspect, Generate and Gradients pages."
        )

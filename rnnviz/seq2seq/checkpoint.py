"""Seq2seq checkpoints: one .safetensors file, config and model card as JSON metadata, never a pickle."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors_bytes
from safetensors.torch import save as save_safetensors_bytes

from rnnviz.charlm.checkpoint import CheckpointError, atomic_write_bytes, read_metadata
from rnnviz.i18n import Message
from rnnviz.seq2seq.model import Seq2Seq, Seq2SeqConfig

FORMAT = "rnnviz-seq2seq-1"


def seq2seq_bytes(model: Seq2Seq, task: str, card: dict, dtype: torch.dtype = torch.float32) -> bytes:
    tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in model.state_dict().items()}
    metadata = {"format": FORMAT, "config": json.dumps(model.config.to_dict()), "task": task, "card": json.dumps(card)}
    return save_safetensors_bytes(tensors, metadata=metadata)


def save_seq2seq(model: Seq2Seq, task: str, card: dict, path: str | Path, dtype: torch.dtype = torch.float32) -> Path:
    return atomic_write_bytes(path, seq2seq_bytes(model, task, card, dtype))


def load_seq2seq(source: str | Path | bytes) -> tuple[Seq2Seq, str, dict]:
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    metadata = read_metadata(data, expected_format=FORMAT)
    try:
        config = Seq2SeqConfig(**json.loads(metadata["config"]))
        card = json.loads(metadata.get("card", "{}"))
        tensors = load_safetensors_bytes(data)
        model = Seq2Seq(config)
        model.load_state_dict({k: v.float() for k, v in tensors.items()})
    except (KeyError, ValueError, TypeError, RuntimeError) as exc:
        raise CheckpointError(Message("errors.checkpoint.what_config", what="seq2seq", error=exc)) from None
    return model.eval(), metadata.get("task", ""), card

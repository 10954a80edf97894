"""Tagger checkpoints: one .safetensors file with the config, the character vocabulary and the model card as JSON
metadata. Never a pickle: a checkpoint from anywhere loads no code."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import save as save_safetensors_bytes

from rnnviz.charlm.checkpoint import CheckpointError, atomic_write_bytes, load_weights, read_metadata
from rnnviz.i18n import Message
from rnnviz.tagging.model import Tagger, TaggerConfig
from rnnviz.tagging.vocab import CharVocab

FORMAT = "rnnviz-tagger-1"


def tagger_bytes(model: Tagger, vocab: CharVocab, card: dict) -> bytes:
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in model.state_dict().items()}
    metadata = {
        "format": FORMAT,
        "config": json.dumps(model.config.to_dict()),
        "vocab": json.dumps(vocab.to_list(), ensure_ascii=False),
        "card": json.dumps(card),
    }
    return save_safetensors_bytes(tensors, metadata=metadata)


def save_tagger(model: Tagger, vocab: CharVocab, card: dict, path: str | Path) -> Path:
    return atomic_write_bytes(path, tagger_bytes(model, vocab, card))


def load_tagger(source: str | Path | bytes) -> tuple[Tagger, CharVocab, dict]:
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    metadata = read_metadata(data, expected_format=FORMAT)
    try:
        config = TaggerConfig(**json.loads(metadata["config"]))
        vocab = CharVocab(json.loads(metadata["vocab"]))
        card = json.loads(metadata.get("card", "{}"))
        model = Tagger(config)
    except (KeyError, ValueError, TypeError) as exc:
        raise CheckpointError(Message("errors.checkpoint.tagger_metadata", error=exc)) from None
    if config.vocab_size != vocab.size:
        raise CheckpointError(Message("errors.checkpoint.tagger_vocabulary"))
    load_weights(model, data, "tagger")
    return model.eval(), vocab, card

"""Classifier checkpoints: one .safetensors file; config, tokenizer, class names and model card as JSON metadata.
Never a pickle."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import save as save_safetensors_bytes

from rnnviz.charlm.checkpoint import CheckpointError, atomic_write_bytes, load_weights, read_metadata
from rnnviz.classify.model import Classifier, ClassifierConfig
from rnnviz.i18n import Message
from rnnviz.tokens import Tokenizer

FORMAT = "rnnviz-classifier-1"


def classifier_bytes(model: Classifier, tokenizer: Tokenizer, label_names: tuple[str, ...], card: dict) -> bytes:
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in model.state_dict().items()}
    metadata = {
        "format": FORMAT,
        "config": json.dumps(model.config.to_dict()),
        "tokenizer": json.dumps(tokenizer.to_dict(), ensure_ascii=False),
        "labels": json.dumps(list(label_names), ensure_ascii=False),
        "card": json.dumps(card),
    }
    return save_safetensors_bytes(tensors, metadata=metadata)


def save_classifier(
    model: Classifier, tokenizer: Tokenizer, label_names: tuple[str, ...], card: dict, path: str | Path
) -> Path:
    return atomic_write_bytes(path, classifier_bytes(model, tokenizer, label_names, card))


def load_classifier(source: str | Path | bytes) -> tuple[Classifier, Tokenizer, tuple[str, ...], dict]:
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    metadata = read_metadata(data, expected_format=FORMAT)
    try:
        config = ClassifierConfig(**json.loads(metadata["config"]))
        tokenizer = Tokenizer.from_dict(json.loads(metadata["tokenizer"]))
        label_names = tuple(json.loads(metadata["labels"]))
        card = json.loads(metadata.get("card", "{}"))
        model = Classifier(config)
    except (KeyError, ValueError, TypeError) as exc:
        raise CheckpointError(Message("errors.checkpoint.classifier_metadata", error=exc)) from None
    if config.vocab_size != tokenizer.size or config.num_classes != len(label_names):
        raise CheckpointError(Message("errors.checkpoint.classifier_tokenizer"))
    load_weights(model, data, "classifier")
    return model.eval(), tokenizer, label_names, card

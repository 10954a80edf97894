"""Checkpoints as one ``.safetensors`` file: tensors plus JSON metadata, never a pickle.

The file's metadata holds the model config, vocabulary, training config, metrics, step,
corpus sha256 and a free-form model card. Loading parses the header ourselves and hands the
tensor bytes to safetensors, so an untrusted upload can never run code. Writes are atomic:
a failed save leaves the previous file intact.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors_bytes
from safetensors.torch import save as save_safetensors_bytes

from rnnviz.charlm.model import CharRNN, ModelConfig
from rnnviz.charlm.vocab import Vocab, vocab_from_json
from rnnviz.i18n import Message

FORMAT = "rnnviz-charlm-1"
MAX_HEADER_BYTES = 10 * 1024 * 1024


class CheckpointError(ValueError):
    """A checkpoint could not be read or does not fit; the message is meant for the user."""


@dataclass
class Checkpoint:
    model: CharRNN
    vocab: Vocab  # characters, or word tokens (a tokenizer's dict in the metadata)
    train_config: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    step: int = 0
    corpus_sha256: str = ""
    card: dict = field(default_factory=dict)

    @property
    def config(self) -> ModelConfig:
        return self.model.config


def checkpoint_bytes(ckpt: Checkpoint, dtype: torch.dtype = torch.float32) -> bytes:
    """Serialise to safetensors bytes (float16 halves the size; weights load back as float32)."""
    tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in ckpt.model.state_dict().items()}
    metadata = {
        "format": FORMAT,
        "model_config": json.dumps(ckpt.model.config.to_dict()),
        "vocab": ckpt.vocab.to_json(),
        "train_config": json.dumps(ckpt.train_config),
        "metrics": json.dumps(ckpt.metrics),
        "step": str(int(ckpt.step)),
        "corpus_sha256": ckpt.corpus_sha256,
        "card": json.dumps(ckpt.card),
    }
    return save_safetensors_bytes(tensors, metadata=metadata)


def save_checkpoint(ckpt: Checkpoint, path: str | Path, dtype: torch.dtype = torch.float32) -> Path:
    return atomic_write_bytes(path, checkpoint_bytes(ckpt, dtype))


def atomic_write_bytes(path: str | Path, payload: bytes) -> Path:
    """Write to a temporary file in the same folder, then rename: a failed save leaves the old file intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(source: str | Path | bytes, device: str | torch.device = "cpu") -> Checkpoint:
    """Load a checkpoint from a path or from bytes (an upload), or raise ``CheckpointError``."""
    if isinstance(source, (str, Path)):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise CheckpointError(
                Message("errors.checkpoint.cannot_read", source=source, error=exc.strerror or exc)
            ) from None
    else:
        data = bytes(source)
    metadata = read_metadata(data)
    try:
        config = ModelConfig.from_dict(json.loads(metadata["model_config"]))
        vocab = vocab_from_json(metadata["vocab"])
        train_config = json.loads(metadata.get("train_config", "{}"))
        metrics = json.loads(metadata.get("metrics", "{}"))
        card = json.loads(metadata.get("card", "{}"))
        step = int(metadata.get("step", "0"))
    except (KeyError, ValueError, TypeError) as exc:
        raise CheckpointError(Message("errors.checkpoint.metadata", error=exc)) from None
    if vocab.size != config.vocab_size:
        raise CheckpointError(Message("errors.checkpoint.vocabulary"))
    try:
        tensors = load_safetensors_bytes(data)
    except Exception as exc:  # safetensors raises its own error types for corrupt payloads
        raise CheckpointError(Message("errors.checkpoint.tensors", error=exc)) from None
    model = CharRNN(config)
    expected = model.state_dict()
    missing = sorted(set(expected) - set(tensors))
    extra = sorted(set(tensors) - set(expected))
    if missing or extra:
        shown = f"{missing[:4]}{'...' if len(missing) > 4 else ''}"
        raise CheckpointError(Message("errors.checkpoint.other_model", missing=shown, extra=extra[:4]))
    for name, tensor in tensors.items():
        if tuple(tensor.shape) != tuple(expected[name].shape):
            raise CheckpointError(
                Message(
                    "errors.checkpoint.shape",
                    name=name,
                    shape=tuple(tensor.shape),
                    expected=tuple(expected[name].shape),
                )
            )
    model.load_state_dict({k: v.float() for k, v in tensors.items()})
    model.to(device).eval()
    return Checkpoint(model, vocab, train_config, metrics, step, metadata.get("corpus_sha256", ""), card)


def _looks_pickled(data: bytes) -> bool:
    """torch.save writes a zip archive of pickles; older files are a bare pickle (protocol 2-5)."""
    return data[:4] == b"PK\x03\x04" or (data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"))


PICKLE_MESSAGE = "errors.checkpoint.pickle"  # the catalogue key


def read_metadata(data: bytes, expected_format: str = FORMAT) -> dict[str, str]:
    """The safetensors header's ``__metadata__``, validated, without trusting anything."""
    header = _parse_header(data)
    if header is None:
        raise CheckpointError(Message(PICKLE_MESSAGE if _looks_pickled(data) else "errors.checkpoint.not_safetensors"))
    metadata = header.get("__metadata__")
    if not isinstance(metadata, dict) or metadata.get("format") != expected_format:
        raise CheckpointError(Message("errors.checkpoint.foreign"))
    return metadata


def _parse_header(data: bytes) -> dict | None:
    if len(data) < 8:
        return None
    (header_len,) = struct.unpack("<Q", data[:8])
    if header_len > MAX_HEADER_BYTES or 8 + header_len > len(data):
        return None
    try:
        header = json.loads(data[8 : 8 + header_len].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return header if isinstance(header, dict) else None


def with_card_updates(data: bytes, updates: dict) -> bytes:
    """The same checkpoint with ``updates`` merged into its model card; every tensor's bytes left as they are.

    A safetensors file is an 8-byte header length, a JSON header (tensor offsets are relative to the data that
    follows it) and the data: only the header is rewritten, padded to 8 bytes as safetensors writes it.
    """
    header = _parse_header(data)
    if header is None or not isinstance(header.get("__metadata__"), dict):
        raise CheckpointError(Message("errors.checkpoint.not_rnnviz"))
    (header_len,) = struct.unpack("<Q", data[:8])
    metadata = header["__metadata__"]
    metadata["card"] = json.dumps({**json.loads(metadata.get("card", "{}")), **updates})
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    return struct.pack("<Q", len(encoded)) + encoded + data[8 + header_len :]


def load_weights(model: torch.nn.Module, data: bytes, what: str) -> None:
    """Read a checkpoint's tensors into ``model`` (as float32), or say which of the two steps failed."""
    try:
        tensors = load_safetensors_bytes(data)
    except Exception as exc:  # safetensors raises its own error types for corrupt payloads
        raise CheckpointError(Message("errors.checkpoint.what_tensors", what=what, error=exc)) from None
    try:
        model.load_state_dict({k: v.float() for k, v in tensors.items()})
    except RuntimeError as exc:
        raise CheckpointError(Message("errors.checkpoint.what_config", what=what, error=exc)) from None

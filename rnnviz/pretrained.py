"""The checkpoints shipped in ``pretrained/``, by name, with their model cards."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rnnviz.checkpoint import Checkpoint, load_checkpoint, read_metadata

PRETRAINED_DIR = Path(__file__).resolve().parents[1] / "pretrained"


@dataclass(frozen=True)
class PretrainedInfo:
    name: str
    path: Path
    card: dict

    @property
    def summary(self) -> str:
        card = self.card
        loss = card.get("val_loss_nats")
        loss_text = f"validation {loss:.3f} nats/char ({card.get('val_bpc', 0):.3f} bpc)" if loss else ""
        label = card.get("label", self.name)
        return f"{label} on {card.get('corpus', '?')}, {card.get('parameters', 0):,} parameters, {loss_text}"


def list_pretrained(directory: Path = PRETRAINED_DIR) -> list[PretrainedInfo]:
    """Every rnnviz checkpoint in ``directory``, by name, reading only the headers."""
    import json

    infos = []
    for path in sorted(directory.glob("*.safetensors")):
        with path.open("rb") as handle:
            head = handle.read(8)
            size = int.from_bytes(head, "little")
            if size > 10 * 1024 * 1024:
                continue
            data = head + handle.read(size)
        try:
            metadata = read_metadata(data + b"\0")  # the header only; tensors are not read here
        except ValueError:
            continue
        infos.append(PretrainedInfo(path.stem, path, json.loads(metadata.get("card", "{}"))))
    return infos


@lru_cache(maxsize=8)
def load_pretrained(name: str) -> Checkpoint:
    """Load a shipped checkpoint by name (cached: the app loads each once per process)."""
    path = PRETRAINED_DIR / f"{name}.safetensors"
    if not path.is_file():
        names = ", ".join(info.name for info in list_pretrained())
        raise ValueError(f"No pretrained model named {name!r}; available: {names}")
    return load_checkpoint(path)

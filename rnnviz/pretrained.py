"""The checkpoints shipped in ``pretrained/``, by name, with their model cards.

Where they are found, first match wins: ``$RNNVIZ_PRETRAINED_DIR``; the checkout's own ``pretrained/`` (running
from the repository, or an editable install); ``<prefix>/share/rnnviz/pretrained``, where ``pip install .`` puts
them (``[tool.setuptools.data-files]`` in pyproject.toml).
"""

from __future__ import annotations

import copy
import dataclasses
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rnnviz.charlm.checkpoint import Checkpoint, load_checkpoint, read_metadata

CHECKOUT_DIR = Path(__file__).resolve().parents[1] / "pretrained"
# The shipped pairs the Tag and Classify pages (and their lessons) open on, by role.
TAGGERS = {"BiLSTM+CRF": "peoples-daily-bilstm-crf.safetensors", "LSTM+CRF": "peoples-daily-lstm-crf.safetensors"}
CLASSIFIERS = {
    "best": "movie-sentences-bilstm.safetensors",
    "left-to-right": "movie-sentences-lstm.safetensors",
}
INSTALLED_DIR = Path(sys.prefix) / "share" / "rnnviz" / "pretrained"


def find_pretrained_dir() -> Path:
    """The folder of the shipped checkpoints (see the module's docstring); the checkout's when none exists."""
    override = os.environ.get("RNNVIZ_PRETRAINED_DIR")
    candidates = [Path(override)] if override else [CHECKOUT_DIR, INSTALLED_DIR]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


PRETRAINED_DIR = find_pretrained_dir()


def pretrained_path(filename: str) -> Path | None:
    """A shipped file by name, or None where it is not there."""
    path = PRETRAINED_DIR / filename
    return path if path.is_file() else None


@dataclass(frozen=True)
class PretrainedInfo:
    name: str
    path: Path
    card: dict
    kind: str = "charlm"  # "charlm" (Train/Inspect/Generate), "seq2seq" (Attention), "tagger" or "classifier"

    @property
    def summary(self) -> str:
        card = self.card
        loss = card.get("val_loss_nats")
        loss_text = f"validation {loss:.3f} nats/char ({card.get('val_bpc', 0):.3f} bpc)" if loss else ""
        label = card.get("label", self.name)
        return f"{label} on {card.get('corpus', '?')}, {card.get('parameters', 0):,} parameters, {loss_text}"


def list_pretrained(directory: Path = PRETRAINED_DIR, kind: str | None = "charlm") -> list[PretrainedInfo]:
    """The rnnviz checkpoints in ``directory`` (of one kind, or all with ``kind=None``), reading only headers.

    Every page's model picker asks on every rerun; a file's header is parsed once for each version of the file
    (its path, modification time and size), so a live page's reruns do not decode the same JSON again."""
    infos = []
    for path in sorted(directory.glob("*.safetensors")):
        try:
            stat = path.stat()
        except OSError:
            continue
        info = _file_info(path, stat.st_mtime_ns, stat.st_size)
        if info is not None and kind in (None, info.kind):
            infos.append(dataclasses.replace(info, card=copy.deepcopy(info.card)))  # a caller's changes stay its own
    return infos


@lru_cache(maxsize=256)
def _file_info(path: Path, mtime_ns: int, size: int) -> PretrainedInfo | None:
    """The checkpoint's name, card and kind from its header, or None for a file that is not an rnnviz checkpoint
    (``mtime_ns`` and ``size`` are the cache's key: a rewritten file is read again)."""
    import json

    from rnnviz.charlm.checkpoint import FORMAT as CHARLM_FORMAT
    from rnnviz.classify.checkpoint import FORMAT as CLASSIFIER_FORMAT
    from rnnviz.seq2seq.checkpoint import FORMAT as SEQ2SEQ_FORMAT
    from rnnviz.tagging.checkpoint import FORMAT as TAGGER_FORMAT

    formats = {
        "charlm": CHARLM_FORMAT,
        "seq2seq": SEQ2SEQ_FORMAT,
        "tagger": TAGGER_FORMAT,
        "classifier": CLASSIFIER_FORMAT,
    }
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            header_size = int.from_bytes(head, "little")
            if header_size > 10 * 1024 * 1024:
                return None
            data = head + handle.read(header_size)
    except OSError:
        return None
    for file_kind, file_format in formats.items():
        try:
            metadata = read_metadata(data + b"\0", expected_format=file_format)  # the header only
        except ValueError:
            continue
        return PretrainedInfo(path.stem, path, json.loads(metadata.get("card", "{}")), file_kind)
    return None


@lru_cache(maxsize=8)
def load_pretrained(name: str) -> Checkpoint:
    """Load a shipped checkpoint by name (cached: the app loads each once per process)."""
    path = PRETRAINED_DIR / f"{name}.safetensors"
    if not path.is_file():
        names = ", ".join(info.name for info in list_pretrained())
        raise ValueError(f"No pretrained model named {name!r}; available: {names}")
    return load_checkpoint(path)

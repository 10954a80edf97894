"""Shared fixtures: tiny corpora, tiny models, fixed seeds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnnviz.corpora import Corpus  # noqa: E402
from rnnviz.data import CorpusData  # noqa: E402
from rnnviz.model import ModelConfig  # noqa: E402
from rnnviz.trainer import build_model  # noqa: E402

SHARED_SHAKESPEARE = ROOT.parent / "shared" / "data" / "tinyshakespeare.txt"

TINY_TEXT = (
    'She said "hello (there)" and left.\n'
    "    def f(x):\n        return [x, (x + 1)]\n"
    'He wrote "a quote" in the book {of [nested] things}.\n'
) * 40


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """No test touches the user's real cache or the network."""
    monkeypatch.setenv("RNNVIZ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RNNVIZ_SHAKESPEARE_URL", "http://127.0.0.1:9/unreachable")


@pytest.fixture
def tiny_data() -> CorpusData:
    return CorpusData.from_corpus(Corpus("tiny", TINY_TEXT))


@pytest.fixture
def shakespeare_file() -> Path:
    if not SHARED_SHAKESPEARE.is_file():
        pytest.skip(f"{SHARED_SHAKESPEARE} is not present")
    return SHARED_SHAKESPEARE


def tiny_model(vocab_size: int, cell: str = "lstm", hidden: int = 16, layers: int = 1, **kwargs):
    config = ModelConfig(
        vocab_size=vocab_size, cell=cell, hidden_size=hidden, num_layers=layers, embed_size=8, **kwargs
    )
    return build_model(config, seed=0)


@pytest.fixture(autouse=True)
def _few_threads():
    torch.set_num_threads(2)

"""Shared fixtures: tiny corpora, fixed seeds, no network, an isolated cache."""

from __future__ import annotations

import pytest
import torch
from helpers import SHARED_SHAKESPEARE, TINY_TEXT

from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import Corpus


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """No test touches the user's real cache or the network."""
    monkeypatch.setenv("RNNVIZ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RNNVIZ_SHAKESPEARE_URL", "http://127.0.0.1:9/unreachable")


@pytest.fixture
def tiny_data() -> CorpusData:
    return CorpusData.from_corpus(Corpus("tiny", TINY_TEXT))


@pytest.fixture
def shakespeare_file():
    if not SHARED_SHAKESPEARE.is_file():
        pytest.skip(f"{SHARED_SHAKESPEARE} is not present")
    return SHARED_SHAKESPEARE


@pytest.fixture(autouse=True)
def _few_threads():
    torch.set_num_threads(2)

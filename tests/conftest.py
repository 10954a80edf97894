"""Shared fixtures: tiny corpora, fixed seeds, no network, an isolated cache, one compute thread per process."""

from __future__ import annotations

import os

# One thread for the numerical libraries of this process and of every process a test starts (app servers, the CLI,
# notebook kernels), set before numpy and torch load: the suite's models and fits are small, and on a busy 2-core
# machine OpenBLAS's and OpenMP's spinning threads cost more than they give (the sentiment bag-of-words fit: 2 s of
# CPU with one thread, 11 s with two). A value set outside the suite wins.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import pytest  # noqa: E402
import torch  # noqa: E402
from helpers import SHARED_SHAKESPEARE, TINY_TEXT  # noqa: E402

from rnnviz.charlm.batches import CorpusData  # noqa: E402
from rnnviz.charlm.corpora import Corpus  # noqa: E402


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
def _one_thread():
    """One intra-op thread per test process, as the app runs each session (rnnviz/ui/__init__.py): the suite's
    models are tiny, and on a busy 2-core machine two spinning threads per op cost far more than they give (the
    seq2seq overfit test: 4 s with one thread, 110 s with two while another job had the other core)."""
    torch.set_num_threads(1)

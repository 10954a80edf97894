"""Shared test data and helpers (a module with a unique name: two conftest.py files cannot both be imported as
``conftest``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import build_model

ROOT = Path(__file__).resolve().parents[1]

ARTIFACTS = ROOT / "test-artifacts"
SHARED_SHAKESPEARE = ROOT.parent / "shared" / "data" / "tinyshakespeare.txt"

TINY_TEXT = (
    'She said "hello (there)" and left.\n'
    "    def f(x):\n        return [x, (x + 1)]\n"
    'He wrote "a quote" in the book {of [nested] things}.\n'
) * 40


def tiny_model(vocab_size: int, cell: str = "lstm", hidden: int = 16, layers: int = 1, **kwargs):
    config = ModelConfig(
        vocab_size=vocab_size, cell=cell, hidden_size=hidden, num_layers=layers, embed_size=8, **kwargs
    )
    return build_model(config, seed=0)


TINY = {"steps": 4, "eval_every": 2, "hidden_size": 8, "eval_examples": 8, "seq_len": 24}


def tiny(lesson):
    """The same lesson with every experiment shrunk to seconds (for tests)."""
    steps = tuple(
        dataclasses.replace(step, params={**step.params, **{k: v for k, v in TINY.items() if k in step.params}})
        for step in lesson.steps
    )
    return dataclasses.replace(lesson, steps=steps)

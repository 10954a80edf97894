"""Headless training from start to checkpoint: what ``python -m rnnviz train`` does.

Kept apart from the CLI's argument parsing so scripts (and the pretrained-model recipes)
train exactly the way the command line does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.checkpoint import Checkpoint
from rnnviz.charlm.corpora import load_corpus
from rnnviz.charlm.evaluation import bits_per_char
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import StepReport, TrainConfig, Trainer, build_model
from rnnviz.device import describe_device


@dataclass(kw_only=True)
class RunSpec:
    corpus: str
    model: dict  # ModelConfig fields except vocab_size
    train: TrainConfig
    init: InitConfig
    steps: int
    device: str = "auto"
    command: str = ""
    time_limit_s: float | None = None  # a safety net: stop early (the card records the steps done)
    tokens: str = "chars"  # or "words": word and punctuation tokens, the 10,000 most frequent


def train_run(spec: RunSpec, on_chunk: Callable[[StepReport], None] | None = None, chunk: int = 50) -> Checkpoint:
    """Train ``spec.steps`` steps, then return a checkpoint with a model card."""
    corpus = load_corpus(spec.corpus)
    data = CorpusData.from_corpus(corpus, tokens=spec.tokens)
    config = ModelConfig(vocab_size=data.vocab.size, **spec.model)
    model = build_model(config, spec.init, seed=spec.train.seed)
    trainer = Trainer(model, data, spec.train, device=spec.device)
    started = time.perf_counter()
    while trainer.step_count < spec.steps and not trainer.diverged:
        if spec.time_limit_s is not None and time.perf_counter() - started > spec.time_limit_s:
            break
        report = trainer.step(min(chunk, spec.steps - trainer.step_count))
        if on_chunk:
            on_chunk(report)
    if spec.train.keep_best and trainer.best_state is not None:
        model.load_state_dict(trainer.best_state)
    final_val = None if trainer.diverged else trainer.evaluate(max_chars=None)
    wall = time.perf_counter() - started
    metrics = trainer.metrics()
    metrics["val_loss"] = final_val
    metrics["val_bpc"] = bits_per_char(final_val) if final_val is not None else None
    card = {
        "corpus": corpus.name,
        "corpus_sha256": corpus.sha256,
        "corpus_chars": len(corpus),
        "tokens": data.vocab.kind,
        "vocab_size": data.vocab.size,
        "training_command": spec.command,
        "steps": trainer.step_count,
        "steps_requested": spec.steps,
        "best_step": trainer.best_step if spec.train.keep_best else trainer.step_count,
        "wall_seconds": round(wall, 1),
        "hardware": describe_device(trainer.device),
        "parameters": model.num_parameters(),
        "val_loss_nats": final_val,
        "val_bpc": metrics["val_bpc"],
        "init": spec.init.to_dict(),
        "label": config.label,
    }
    model.cpu()
    return Checkpoint(model, data.vocab, spec.train.to_dict(), metrics, trainer.step_count, corpus.sha256, card)

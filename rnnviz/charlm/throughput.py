"""Throughput benchmark: the rnnviz Trainer against a bare fused training loop.

Both train the same architecture on the same corpus with the same batch shape, optimiser and
clipping; the bare loop is written here from plain ``nn.Embedding`` + ``nn.LSTM/GRU/RNN`` +
``nn.Linear``, so the ratio measures exactly what the Trainer's bookkeeping costs.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.cells import MODULES
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import load_corpus
from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import TrainConfig, Trainer, build_model
from rnnviz.device import describe_device, pick_device


@dataclass(kw_only=True)
class ThroughputResult:
    cell: str
    trainer_tokens_per_s: float  # median over the pairs
    bare_tokens_per_s: float
    ratio: float  # median of the pairs' ratios (trainer / bare)
    ratio_min: float
    ratio_max: float
    pairs: int
    device: str


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def bare_loop_tokens_per_s(
    data: CorpusData, model_config: ModelConfig, train: TrainConfig, device, steps: int, warmup: int
) -> float:
    torch.manual_seed(train.seed)
    rnn_class = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[model_config.cell]
    embed = nn.Embedding(model_config.vocab_size, model_config.embed_size).to(device)
    rnn = rnn_class(model_config.embed_size, model_config.hidden_size, model_config.num_layers, batch_first=True).to(
        device
    )
    head = nn.Linear(model_config.hidden_size, model_config.vocab_size).to(device)
    params = [*embed.parameters(), *rnn.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(params, lr=train.learning_rate)
    ids = data.train_ids
    generator = torch.Generator().manual_seed(train.seed)
    b, t = train.batch_size, train.seq_len

    def one_step():
        starts = torch.randint(0, len(ids) - t - 1, (b,), generator=generator)
        window = ids[starts[:, None] + torch.arange(t + 1)].to(device)  # (B, T+1)
        out, _ = rnn(embed(window[:, :-1]))  # (B, T, H)
        logits = head(out)  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, train.clip_norm)
        optimizer.step()

    for _ in range(warmup):
        one_step()
    _sync(device)
    started = time.perf_counter()
    for _ in range(steps):
        one_step()
    _sync(device)
    return steps * b * t / (time.perf_counter() - started)


def trainer_tokens_per_s(
    data: CorpusData, model_config: ModelConfig, train: TrainConfig, device, steps: int, warmup: int
) -> float:
    trainer = Trainer(build_model(model_config, seed=train.seed), data, train, device=str(device))
    trainer.step(warmup)
    _sync(device)
    started = time.perf_counter()
    trainer.step(steps)  # one chunk: the way the CLI trains; the app uses chunks of a few steps
    _sync(device)
    return steps * train.batch_size * train.seq_len / (time.perf_counter() - started)


def run_throughput(
    corpus: str = "python-docs",
    hidden_size: int = 256,
    embed: int = 64,
    seq_len: int = 100,
    batch_size: int = 64,
    steps: int = 30,
    warmup: int = 5,
    device: str = "auto",
    cells=MODULES,
    repeats: int = 5,
) -> list[ThroughputResult]:
    """``repeats`` interleaved pairs per cell (bare then trainer, then trainer then bare, ...), so drift and
    background noise hit both sides alike; each pair gives one ratio, and the result is their median with the
    range, the way a single noisy pair cannot mislead."""
    dev = pick_device(device)
    data = CorpusData.from_corpus(load_corpus(corpus))
    train = TrainConfig(seq_len=seq_len, batch_size=batch_size, clip=True, clip_norm=1.0, eval_every=0)
    results = []
    for cell in cells:
        model_config = ModelConfig(vocab_size=data.vocab.size, cell=cell, hidden_size=hidden_size, embed_size=embed)
        bares, ours, ratios = [], [], []
        for pair in range(repeats):
            sides = [bare_loop_tokens_per_s, trainer_tokens_per_s]
            if pair % 2:
                sides.reverse()
            measured = {side: side(data, model_config, train, dev, steps, warmup) for side in sides}
            bare, trainer = measured[bare_loop_tokens_per_s], measured[trainer_tokens_per_s]
            bares.append(bare)
            ours.append(trainer)
            ratios.append(trainer / bare)
        results.append(
            ThroughputResult(
                cell=cell,
                trainer_tokens_per_s=statistics.median(ours),
                bare_tokens_per_s=statistics.median(bares),
                ratio=statistics.median(ratios),
                ratio_min=min(ratios),
                ratio_max=max(ratios),
                pairs=repeats,
                device=describe_device(dev),
            )
        )
    return results


def results_as_dicts(results: list[ThroughputResult]) -> list[dict]:
    return [asdict(r) for r in results]

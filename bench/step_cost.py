"""What one training step costs on this machine's CPU, one thread: the measurement behind the compute cap.

    python bench/step_cost.py            # the compute cap
    python bench/step_cost.py --upload   # the upload cap: preparing a corpus of LIMITS.max_upload_bytes

A shared server runs every session's chunks through a few training slots (rnnviz/training_slots.py).
A chunk trains each cell of a run for at least two steps, so a run whose step is slow holds its slot,
and delays every other session's training and its own Pause, for that long. For a grid of the Train
page's settings (one LSTM, as the Train page trains it) this prints the estimated work of a step
(``training_step_flops``), the measured time (median of five steps after two warm-up steps, one torch
thread as in the app) and the achieved GFLOP/s; then the time one chunk of a run at the cap
(``LIMITS.max_step_gflop``, all cells together) takes at the slowest measured rate.
"""

from __future__ import annotations

import statistics
import sys
import time

import torch

from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import load_corpus
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.model import ModelConfig, training_step_flops
from rnnviz.charlm.trainer import TrainConfig, Trainer, build_model
from rnnviz.limits import LIMITS

GRID = [  # (hidden, layers, seq_len, batch)
    (64, 1, 64, 32),
    (128, 1, 100, 32),
    (256, 1, 100, 64),
    (256, 2, 100, 64),
    (512, 1, 100, 64),
    (512, 2, 200, 64),
    (512, 3, 400, 128),
]


def step_seconds(data: CorpusData, hidden: int, layers: int, seq_len: int, batch: int) -> tuple[float, int]:
    config = ModelConfig(vocab_size=data.vocab.size, cell="lstm", hidden_size=hidden, num_layers=layers, embed_size=32)
    model = build_model(config, InitConfig(), seed=0)
    trainer = Trainer(model, data, TrainConfig(seq_len=seq_len, batch_size=batch, eval_every=0), device="cpu")
    trainer.step(2)  # warm-up
    times = []
    for _ in range(5):
        started = time.perf_counter()
        trainer.step(1)
        times.append(time.perf_counter() - started)
    return statistics.median(times), training_step_flops(config, batch, seq_len)


def upload_cost() -> None:
    """Time what an upload at the cap costs before training can start: vocabulary, encoding, split."""
    from rnnviz.charlm.corpora import Corpus

    docs = load_corpus("python-docs").text
    text = (docs * (LIMITS.max_upload_bytes // len(docs) + 1))[: LIMITS.max_upload_bytes]
    started = time.perf_counter()
    data = CorpusData.from_corpus(Corpus("upload", text))
    seconds = time.perf_counter() - started
    print(
        f"{len(text):,} characters ({LIMITS.max_upload_bytes / 2**20:.0f} MB cap): prepared in {seconds:.2f} s, "
        f"{data.vocab.size} distinct characters"
    )


def main() -> int:
    torch.set_num_threads(1)
    if "--upload" in sys.argv:
        upload_cost()
        return 0
    data = CorpusData.from_corpus(load_corpus("python-docs"))
    print("hidden layers seq batch | GFLOP/step | s/step | GFLOP/s")
    rates = []
    for hidden, layers, seq_len, batch in GRID:
        seconds, flops = step_seconds(data, hidden, layers, seq_len, batch)
        rates.append(flops / seconds / 1e9)
        print(f"{hidden:6} {layers:6} {seq_len:3} {batch:5} | {flops / 1e9:10.2f} | {seconds:6.3f} | {rates[-1]:7.1f}")
    slowest = min(rates)
    cap = LIMITS.max_step_gflop
    print(
        f"cap {cap:g} GFLOP per step (all cells): a step at the slowest rate {cap / slowest:.2f} s, "
        f"a chunk (two steps) {2 * cap / slowest:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

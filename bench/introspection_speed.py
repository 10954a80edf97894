"""Introspection speed on the CPU: a full trace and the per-step gradient norms.

    python bench/introspection_speed.py

A 2-layer, 256-unit LSTM (random weights; the arithmetic does not depend on their values) over
1,000 characters of python-docs: ``trace_text`` (states, gates, probabilities, exactness check)
and ``gradient_flow`` (||dL_T/dh_t||, ||dL/dh_t|| and the connectivity, for every step and layer).
Best of five runs after a warm-up.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from rnnviz.corpora import python_docs_text  # noqa: E402
from rnnviz.introspect import trace_text  # noqa: E402
from rnnviz.introspect.gradients import gradient_flow  # noqa: E402
from rnnviz.model import ModelConfig  # noqa: E402
from rnnviz.trainer import build_model  # noqa: E402
from rnnviz.vocab import CharVocab  # noqa: E402


def best_of(fn, repeats: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    corpus = python_docs_text()
    vocab = CharVocab.from_text(corpus)
    text = corpus[10_000:11_000]
    print(f"torch threads: {torch.get_num_threads()}")
    for cell in ("rnn", "lstm", "gru"):
        model = build_model(ModelConfig(vocab.size, cell, 256, 2), seed=0)
        trace_s = best_of(lambda m=model: trace_text(m, vocab, text))
        grads_s = best_of(lambda m=model: gradient_flow(m, vocab.encode(text)))
        diff = trace_text(model, vocab, text).max_abs_diff
        print(f"{cell:4s} 2x256, 1,000 chars: trace {trace_s * 1000:5.0f} ms, gradient norms {grads_s * 1000:5.0f} ms, "
              f"max |replay - fused| {diff:.1e}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

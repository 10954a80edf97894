"""Introspection speed on the CPU: a full trace and the per-step gradient norms.

    python bench/introspection_speed.py

A 2-layer, 256-unit LSTM (random weights; the arithmetic does not depend on their values) over
1,000 characters of python-docs: ``trace_text`` (states, gates, probabilities, exactness check)
and ``gradient_flow`` (||dL_T/dh_t||, ||dL/dh_t|| and the connectivity, for every step and layer).
Best of five runs after a warm-up.
"""

from __future__ import annotations

import time

import torch

from rnnviz.charlm.corpora import python_docs_text
from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.charlm.vocab import CharVocab
from rnnviz.introspect import trace_text
from rnnviz.introspect.gradients import gradient_flow


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
        model = build_model(ModelConfig(vocab_size=vocab.size, cell=cell, hidden_size=256, num_layers=2), seed=0)
        trace_s = best_of(lambda m=model: trace_text(m, vocab, text))
        grads_s = best_of(lambda m=model: gradient_flow(m, vocab.encode(text)))
        diff = trace_text(model, vocab, text).max_abs_diff
        print(
            f"{cell:4s} 2x256, 1,000 chars: trace {trace_s * 1000:5.0f} ms, gradient norms {grads_s * 1000:5.0f} ms, "
            f"max |replay - fused| {diff:.1e}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Check the introspection engine on a CUDA device: replay vs fused, every cell and depth.

Run on a machine with a GPU:  python bench/cuda_exactness.py
Prints one line per configuration with the max abs difference (target <= 1e-5, float32).
"""

from __future__ import annotations

import torch

from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.charlm.vocab import CharVocab
from rnnviz.introspect import trace_text
from rnnviz.introspect.gradients import gradient_flow, gradient_flow_autograd


def main() -> int:
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to check")
        return 0
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    text = 'The quick (brown) fox said "jumps" over the lazy dog.\n' * 10
    vocab = CharVocab.from_text(text)
    worst = 0.0
    for cell, nonlinearity in (("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")):
        for layers in (1, 2, 3):
            config = ModelConfig(
                vocab_size=vocab.size, cell=cell, hidden_size=128, num_layers=layers, nonlinearity=nonlinearity
            )
            model = build_model(config, seed=0).cuda()
            for method in ("batched", "sequential"):
                trace = trace_text(model, vocab, text, method=method)
                worst = max(worst, trace.max_abs_diff)
                label = f"{cell:4s} {nonlinearity:4s} layers={layers} {method:10s}"
                print(f"{label} max|replay-fused| = {trace.max_abs_diff:.2e}")
            ids = vocab.encode(text[:100])
            fast, slow = gradient_flow(model, ids), gradient_flow_autograd(model, ids)
            rel = max(
                abs(a - b) / (abs(b) + 1e-12)
                for la, lb in zip(fast.total_loss_norms, slow.total_loss_norms)
                for a, b in zip(la, lb)
            )
            print(f"{'':4s} gradient norms: hand-written BPTT vs autograd on CUDA, max rel diff {rel:.2e}")
    print(f"worst replay difference {worst:.2e} ({'OK' if worst <= 1e-5 else 'ABOVE 1e-5'})")
    return 0 if worst <= 1e-5 else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Validation loss, computed one way for every model.

Method: the validation ids are cut into ``streams`` contiguous streams read left to right in
windows of ``window`` characters, carrying the hidden state from window to window, so each
character is predicted exactly once with all the context before it in its stream. The
result is the mean cross-entropy in nats per character (divide by ln 2 for bits per char).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from rnnviz.charlm.model import CharRNN

LN2 = math.log(2.0)


@torch.no_grad()
def evaluate_loss(
    model: CharRNN,
    ids: torch.Tensor,
    window: int = 256,
    streams: int = 16,
    max_chars: int | None = None,
) -> float:
    """Mean next-character cross-entropy (nats) of ``model`` over ``ids`` (the method above)."""
    if max_chars is not None:
        ids = ids[: max_chars + 1]
    if len(ids) < 2:
        raise ValueError("Need at least two characters to evaluate.")
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    streams = max(1, min(streams, (len(ids) - 1) // 2))
    length = (len(ids) - 1) // streams
    x_all = ids[: length * streams].view(streams, length).to(device)  # (S, N)
    y_all = ids[1 : length * streams + 1].view(streams, length).to(device)  # (S, N)
    total, count, state = 0.0, 0, None
    for start in range(0, length, window):
        x = x_all[:, start : start + window]
        y = y_all[:, start : start + window]
        logits, state = model(x, state)
        total += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum"))
        count += y.numel()
    model.train(was_training)
    return total / count


def bits_per_char(nats: float) -> float:
    return nats / LN2

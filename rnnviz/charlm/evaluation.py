"""Validation loss, computed two ways for every model.

``evaluate_loss`` (state carried over, rnnviz's figure): the validation ids are cut into ``streams``
contiguous streams read left to right in windows of ``window`` characters, carrying the hidden state
from window to window, so each character is predicted exactly once with all the context before it in
its stream.

``evaluate_loss_zero_state`` (the method a Transformer's figure uses, as nanoGPT's on tiny shakespeare):
non-overlapping windows of ``window`` characters, each read from a zero state, so a character sees only
the context since its window began. A recurrent model scores worse this way (the first characters of
each window have little context); comparing with a peer's figure needs the peer's method.

Both give the mean cross-entropy in nats per character (divide by ln 2 for bits per char).
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


@torch.no_grad()
def evaluate_loss_zero_state(model: CharRNN, ids: torch.Tensor, window: int = 256, batch_size: int = 64) -> float:
    """Mean next-character cross-entropy (nats) over non-overlapping windows, each from a zero state."""
    windows = (len(ids) - 1) // window
    if windows < 1:
        raise ValueError(f"Need at least {window + 1} characters for one window of {window}.")
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    x_all = ids[: windows * window].view(windows, window)  # (W, T)
    y_all = ids[1 : windows * window + 1].view(windows, window)  # (W, T)
    total = 0.0
    for start in range(0, windows, batch_size):
        x = x_all[start : start + batch_size].to(device)
        y = y_all[start : start + batch_size].to(device)
        logits, _ = model(x, None)  # (B, T, V), every window from a zero state
        total += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum"))
    model.train(was_training)
    return total / (windows * window)

"""The trace entry point: everything a model computes on a text, checked against the fused layer.

``trace_text`` (and ``trace_ids`` for token ids) is what the pages, the CLI and the labs call. By
default each layer's gates come from the batched path (``batched.py``: the fused layer's h_t, then
the textbook equations for all steps at once); ``method="sequential"`` replays the recurrence step by
step (``replay.py``). Either way ``Trace.max_abs_diff`` is the largest difference from ``model.rnn``.
A newer cell (minGRU, minLSTM, the selective SSM, the Transformer) is always replayed step by step through its own
equations (``newer_cells.py``) and checked against the path it trains with, whatever ``method`` says.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from rnnviz.charlm.model import GATES_PER_CELL, CharRNN
from rnnviz.charlm.vocab import Vocab
from rnnviz.introspect.batched import batched_layers
from rnnviz.introspect.newer_cells import newer_cell_layers
from rnnviz.introspect.replay import replay_sequence
from rnnviz.introspect.trace_types import LayerTrace, Trace


def encode_for_trace(vocab: Vocab, text: str) -> tuple[torch.Tensor, list[str]]:
    """Token ids of ``text`` and what the model never saw (reported back): characters are dropped, words read as
    ``<unk>``."""
    return vocab.encode(text, unknown="skip"), vocab.unknown(text)


@torch.no_grad()
def trace_text(model: CharRNN, vocab: Vocab, text: str, method: str = "batched") -> Trace:
    """Everything the model computes on ``text``, checked against the fused layer.

    ``method="batched"`` (fast, the default) derives each layer's gates from its fused
    outputs all at once; ``"sequential"`` replays the recurrence step by step from scratch.
    Both report the largest difference from the fused layer in ``max_abs_diff``.
    """
    ids, skipped = encode_for_trace(vocab, text)
    if len(ids) == 0:
        raise ValueError(f"The text is empty (or has no {vocab.unit} the model knows).")
    trace = trace_ids(model, ids, method)
    trace.tokens, trace.skipped = vocab.pieces(ids), skipped
    trace.text = "".join(trace.tokens)
    return trace


@torch.no_grad()
def trace_ids(model: CharRNN, ids: torch.Tensor, method: str = "batched") -> Trace:
    """``trace_text`` for token ids (T,); ``Trace.text`` and ``Trace.tokens`` are left empty."""
    model.eval()
    device = next(model.parameters()).device
    x = model.embed(ids.to(device)[None, :])  # (1, T, E)
    if model.config.cell not in GATES_PER_CELL:  # a newer cell: its own replay, checked against its training path
        layers, top, diff = newer_cell_layers(model, x)
        return _finish(model, ids, layers, top, diff)
    fused, _ = model.rnn(x)  # (1, T, H)
    if method == "batched":
        layers, diff = batched_layers(model, x)
        top = layers[-1].h.to(device)  # (T, H)
    elif method == "sequential":
        replay = replay_sequence(model, x)
        top = replay.top_output()[0]
        layers = [
            LayerTrace(
                h=torch.cat(replay.h[layer], dim=0).cpu(),
                c=torch.cat(replay.c[layer], dim=0).cpu() if replay.c is not None else None,
                gates={k: torch.cat(v, dim=0).cpu() for k, v in replay.gates[layer].items()},
            )
            for layer in range(model.config.num_layers)
        ]
        diff = 0.0
    else:
        raise ValueError(f"method must be batched or sequential, not {method!r}")
    diff = max(diff, float((top - fused[0]).abs().max()))
    return _finish(model, ids, layers, top, diff)


def _finish(model: CharRNN, ids: torch.Tensor, layers: list[LayerTrace], top: torch.Tensor, diff: float) -> Trace:
    """The trace from every layer's record and the top output (T, H): next-token logits, probabilities, losses."""
    device = top.device
    logits = model.head(top)  # (T, V)
    probs = torch.softmax(logits, dim=-1)
    if len(ids) > 1:
        loss = F.cross_entropy(logits[:-1], ids[1:].to(device), reduction="none")  # (T-1,)
    else:
        loss = logits.new_zeros(0)
    return Trace("", ids, model.config.cell, layers, logits.cpu(), probs.cpu(), loss.cpu(), diff)

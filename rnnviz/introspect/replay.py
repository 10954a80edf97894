"""Replay a model over a text, step by step, recording every state and gate.

``replay_sequence`` runs the equations of ``equations.py`` with the model's own weights, one
time step after another, every layer, and keeps each h_t as its own tensor so that gradients
with respect to any h_t can be taken (``gradients.py``). ``trace_text`` wraps it for the pages
and the CLI, and checks the replay against the fused layer: ``Trace.max_abs_diff`` is the
largest difference between the replayed top-layer outputs and ``model.rnn``'s, every call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from rnnviz.introspect.equations import gru_step, lstm_step, rnn_step
from rnnviz.model import CharRNN
from rnnviz.vocab import CharVocab

EXACTNESS_TOLERANCE = 1e-5


@dataclass
class LayerTrace:
    h: torch.Tensor  # (T, H)
    c: torch.Tensor | None  # (T, H), LSTM only
    gates: dict[str, torch.Tensor]  # name -> (T, H)


@dataclass
class Trace:
    text: str
    ids: torch.Tensor  # (T,)
    cell: str
    layers: list[LayerTrace]
    logits: torch.Tensor  # (T, V)
    probs: torch.Tensor  # (T, V): next-char distribution after each character
    loss_per_char: torch.Tensor  # (T-1,): -log p(ids[t+1]) after reading ids[..t]
    max_abs_diff: float  # replay vs fused top-layer output
    skipped: list[str] = field(default_factory=list)  # characters not in the vocabulary

    @property
    def exact(self) -> bool:
        return self.max_abs_diff <= EXACTNESS_TOLERANCE


@dataclass
class Replay:
    """Per-layer lists of per-step tensors, still attached to the autograd graph if any."""

    inputs: torch.Tensor  # (B, T, E) embeddings fed to layer 0
    h: list[list[torch.Tensor]]  # [layer][t] -> (B, H)
    c: list[list[torch.Tensor]] | None
    gates: list[dict[str, list[torch.Tensor]]]  # [layer][name][t] -> (B, H)

    def top_output(self) -> torch.Tensor:
        return torch.stack(self.h[-1], dim=1)  # (B, T, H)


def layer_weights(model: CharRNN, layer: int):
    rnn = model.rnn
    return (
        getattr(rnn, f"weight_ih_l{layer}"),
        getattr(rnn, f"weight_hh_l{layer}"),
        getattr(rnn, f"bias_ih_l{layer}"),
        getattr(rnn, f"bias_hh_l{layer}"),
    )


def replay_sequence(model: CharRNN, inputs: torch.Tensor, record_gates: bool = True) -> Replay:
    """Run the textbook equations over ``inputs`` (B, T, E), from a zero state, all layers."""
    cfg = model.config
    batch, steps, _ = inputs.shape
    layer_input = inputs
    all_h, all_c, all_gates = [], [] if cfg.cell == "lstm" else None, []
    for layer in range(cfg.num_layers):
        w_ih, w_hh, b_ih, b_hh = layer_weights(model, layer)
        xw = layer_input @ w_ih.T + b_ih  # (B, T, G*H): input projections of all steps at once
        h = inputs.new_zeros(batch, cfg.hidden_size)
        c = inputs.new_zeros(batch, cfg.hidden_size)
        hs, cs = [], []
        gates: dict[str, list[torch.Tensor]] = {}
        for t in range(steps):
            if cfg.cell == "lstm":
                h, c, g = lstm_step(xw[:, t], h, c, w_hh, b_hh)
                cs.append(c)
            elif cfg.cell == "gru":
                h, g = gru_step(xw[:, t], h, w_hh, b_hh)
            else:
                h, g = rnn_step(xw[:, t], h, w_hh, b_hh, relu=cfg.nonlinearity == "relu")
            hs.append(h)
            if record_gates:
                for name, value in g.items():
                    gates.setdefault(name, []).append(value)
        all_h.append(hs)
        all_gates.append(gates)
        if all_c is not None:
            all_c.append(cs)
        layer_input = torch.stack(hs, dim=1)  # (B, T, H); dropout is off in eval
    return Replay(inputs, all_h, all_c, all_gates)


def encode_for_trace(vocab: CharVocab, text: str) -> tuple[str, torch.Tensor, list[str]]:
    """Drop characters the model never saw (reported back), keep the rest."""
    skipped = vocab.unknown_chars(text)
    kept = "".join(ch for ch in text if ch not in set(skipped))
    return kept, vocab.encode(kept), skipped


@torch.no_grad()
def trace_text(model: CharRNN, vocab: CharVocab, text: str, method: str = "batched") -> Trace:
    """Everything the model computes on ``text``, checked against the fused layer.

    ``method="batched"`` (fast, the default) derives each layer's gates from its fused
    outputs all at once; ``"sequential"`` replays the recurrence step by step from scratch.
    Both report the largest difference from the fused layer in ``max_abs_diff``.
    """
    kept, ids, skipped = encode_for_trace(vocab, text)
    if len(ids) == 0:
        raise ValueError("The text is empty (or has no character the model knows).")
    trace = trace_ids(model, ids, method)
    trace.text, trace.skipped = kept, skipped
    return trace


@torch.no_grad()
def trace_ids(model: CharRNN, ids: torch.Tensor, method: str = "batched") -> Trace:
    """``trace_text`` for token ids (T,); ``Trace.text`` is left empty."""
    from rnnviz.introspect.batched import batched_layers

    model.eval()
    device = next(model.parameters()).device
    x = model.embed(ids.to(device)[None, :])  # (1, T, E)
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
    logits = model.head(top)  # (T, V)
    probs = torch.softmax(logits, dim=-1)
    if len(ids) > 1:
        loss = F.cross_entropy(logits[:-1], ids[1:].to(device), reduction="none")  # (T-1,)
    else:
        loss = logits.new_zeros(0)
    return Trace("", ids, model.config.cell, layers, logits.cpu(), probs.cpu(), loss.cpu(), diff)

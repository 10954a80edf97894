"""Replay a model over a text, step by step, recording every state and gate.

``replay_sequence`` runs the equations of ``equations.py`` with the model's own weights, one
time step after another, every layer, and keeps each h_t as its own tensor so that gradients
with respect to any h_t can be taken (``gradients.gradient_flow_autograd``, the reference the
hand-written BPTT is tested against). ``trace.trace_ids(method="sequential")`` uses it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from rnnviz.charlm.model import CharRNN
from rnnviz.introspect.equations import gru_step, lstm_step, rnn_step
from rnnviz.introspect.trace_types import layer_weights


@dataclass
class Replay:
    """Per-layer lists of per-step tensors, still attached to the autograd graph if any."""

    inputs: torch.Tensor  # (B, T, E) embeddings fed to layer 0
    h: list[list[torch.Tensor]]  # [layer][t] -> (B, H)
    c: list[list[torch.Tensor]] | None
    gates: list[dict[str, list[torch.Tensor]]]  # [layer][name][t] -> (B, H)

    def top_output(self) -> torch.Tensor:
        return torch.stack(self.h[-1], dim=1)  # (B, T, H)


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

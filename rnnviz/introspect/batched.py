"""The fast path of the trace: each layer's gates from its fused outputs, all steps at once.

Each layer is run fused (PyTorch's own kernel, with that layer's weights), which gives every
h_t. Since a gate at step t depends only on x_t and h_{t-1}, all gates then follow from one
batched matrix product per layer through the textbook equations of ``equations.py``; the LSTM's cell state is the
only true recurrence left (c_t = f_t * c_{t-1} + i_t * g_t, elementwise). The equations'
output h_t is then compared with the fused h_t at every step and layer, so an error in either
the equations or the weights they read would show in ``max_abs_diff``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call

from rnnviz.charlm.model import CharRNN
from rnnviz.introspect.equations import gru_step, lstm_cell, lstm_gates, lstm_output, rnn_step
from rnnviz.introspect.trace_types import LayerTrace, layer_weights


def _fused_single_layer(model: CharRNN, layer: int, inputs: torch.Tensor) -> torch.Tensor:
    """inputs (1, T, In) -> this layer's fused outputs (1, T, H)."""
    cfg = model.config
    w_ih, w_hh, b_ih, b_hh = layer_weights(model, layer)
    kind = {"lstm": nn.LSTM, "gru": nn.GRU}.get(cfg.cell)
    if kind is None:
        module = nn.RNN(w_ih.shape[1], cfg.hidden_size, nonlinearity=cfg.nonlinearity, batch_first=True)
    else:
        module = kind(w_ih.shape[1], cfg.hidden_size, batch_first=True)
    module.to(inputs.device)
    params = {"weight_ih_l0": w_ih, "weight_hh_l0": w_hh, "bias_ih_l0": b_ih, "bias_hh_l0": b_hh}
    out, _ = functional_call(module, params, (inputs,))
    return out


@torch.no_grad()
def batched_layers(model: CharRNN, inputs: torch.Tensor) -> tuple[list[LayerTrace], float]:
    """inputs (1, T, E) -> per-layer traces and the largest |equations h_t - fused h_t|."""
    cfg = model.config
    layer_input = inputs[0]  # (T, In)
    traces, worst = [], 0.0
    for layer in range(cfg.num_layers):
        w_ih, w_hh, b_ih, b_hh = layer_weights(model, layer)
        fused = _fused_single_layer(model, layer, layer_input[None])[0]  # (T, H)
        h_prev = torch.cat([fused.new_zeros(1, cfg.hidden_size), fused[:-1]])  # (T, H)
        xw = layer_input @ w_ih.T + b_ih  # (T, G*H)
        c_all = None
        if cfg.cell == "lstm":
            gates = lstm_gates(xw, h_prev, w_hh, b_hh)  # each (T, H)
            i, f, g = gates["i"], gates["f"], gates["g"]
            c_all = torch.empty_like(i)
            c = i.new_zeros(cfg.hidden_size)
            for t in range(i.shape[0]):  # the one true recurrence left
                c = lstm_cell(i[t], f[t], g[t], c)
                c_all[t] = c
            h = lstm_output(gates["o"], c_all)
        elif cfg.cell == "gru":
            h, gates = gru_step(xw, h_prev, w_hh, b_hh)
        else:
            h, gates = rnn_step(xw, h_prev, w_hh, b_hh, relu=cfg.nonlinearity == "relu")
        worst = max(worst, float((h - fused).abs().max()))
        traces.append(
            LayerTrace(
                h=h.cpu(), c=c_all.cpu() if c_all is not None else None, gates={k: v.cpu() for k, v in gates.items()}
            )
        )
        layer_input = h  # what the next layer reads (dropout is off in eval)
    return traces, worst

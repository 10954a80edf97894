"""The fast path of the trace: each layer's gates from its fused outputs, all steps at once.

Each layer is run fused (PyTorch's own kernel, with that layer's weights), which gives every
h_t. Since a gate at step t depends only on x_t and h_{t-1}, all gates then follow from one
batched matrix product per layer through the textbook equations; the LSTM's cell state is the
only true recurrence left (c_t = f_t * c_{t-1} + i_t * g_t, elementwise). The equations'
output h_t is then compared with the fused h_t at every step and layer, so an error in either
the equations or the weights they read would show in ``max_abs_diff``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call

from rnnviz.introspect.replay import LayerTrace, layer_weights
from rnnviz.model import CharRNN


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
        hw = h_prev @ w_hh.T + b_hh  # (T, G*H)
        c_all = None
        if cfg.cell == "lstm":
            i, f, g, o = (xw + hw).chunk(4, dim=-1)
            i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
            ig = i * g  # (T, H)
            c_all = torch.empty_like(ig)
            c = ig.new_zeros(cfg.hidden_size)
            for t in range(ig.shape[0]):
                c = f[t] * c + ig[t]
                c_all[t] = c
            h = o * torch.tanh(c_all)
            gates = {"i": i, "f": f, "g": g, "o": o}
        elif cfg.cell == "gru":
            x_r, x_z, x_n = xw.chunk(3, dim=-1)
            h_r, h_z, h_n = hw.chunk(3, dim=-1)
            r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
            n = torch.tanh(x_n + r * h_n)
            h = (1 - z) * n + z * h_prev
            gates = {"r": r, "z": z, "n": n}
        else:
            pre = xw + hw
            h = torch.relu(pre) if cfg.nonlinearity == "relu" else torch.tanh(pre)
            gates = {"pre": pre}
        worst = max(worst, float((h - fused).abs().max()))
        traces.append(
            LayerTrace(
                h=h.cpu(), c=c_all.cpu() if c_all is not None else None, gates={k: v.cpu() for k, v in gates.items()}
            )
        )
        layer_input = h  # what the next layer reads (dropout is off in eval)
    return traces, worst

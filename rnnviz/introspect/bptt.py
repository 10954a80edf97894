"""Backpropagation through time by hand, for the gradient-flow views.

Autograd over a 1,000-step Python replay takes seconds (three backward passes through ~20,000
small nodes). The gradients only need the states and gates the trace already has, so this
module runs the textbook backward equations directly, for several "seeds" at once (rows of a
(S, H) gradient): the last step's loss, the summed loss, and one output logit. Every local
derivative that does not depend on the incoming gradient is computed for all steps at once
before the loop; the loop itself is a few elementwise products and one matrix product per
step. The tests hold the results equal to autograd's (``gradients.gradient_flow_autograd``).
"""

from __future__ import annotations

import torch

from rnnviz.charlm.model import CharRNN
from rnnviz.introspect.trace_types import LayerTrace, layer_weights


def _previous(x: torch.Tensor) -> torch.Tensor:
    """(T, H) -> the same shifted one step later, zeros first: x_{t-1}."""
    return torch.cat([x.new_zeros(1, x.shape[1]), x[:-1]])


def _lstm_layer(layer: LayerTrace, from_above, w_hh):
    """Returns the total dL/dh_t (S, T, H) and dL/d(W_ih x_t + b_ih) (S, T, 4H)."""
    g = layer.gates
    i, f, gg, o = g["i"], g["f"], g["g"], g["o"]  # (T, H)
    tc = torch.tanh(layer.c)
    to_c = o * (1 - tc * tc)  # dc_t/dh_t path through h_t = o * tanh(c_t)
    coeff = torch.cat([gg * i * (1 - i), _previous(layer.c) * f * (1 - f), i * (1 - gg * gg), tc * o * (1 - o)], -1)
    seeds, steps, hidden = from_above.shape
    totals, d_pres = [], []
    dh_next = from_above.new_zeros(seeds, hidden)
    dc = from_above.new_zeros(seeds, hidden)
    above = from_above.unbind(1)
    for t in reversed(range(steps)):
        dh = above[t] + dh_next
        dc = torch.addcmul(dc, dh, to_c[t])
        d_pre = torch.cat([dc, dc, dc, dh], dim=-1).mul_(coeff[t])  # (S, 4H)
        dh_next = d_pre @ w_hh
        dc = dc * f[t]
        totals.append(dh)
        d_pres.append(d_pre)
    return torch.stack(totals[::-1], dim=1), torch.stack(d_pres[::-1], dim=1)


def _gru_layer(layer: LayerTrace, from_above, w_hh, b_hh):
    g = layer.gates
    r, z, n = g["r"], g["z"], g["n"]  # (T, H)
    hidden = r.shape[1]
    h_prev = _previous(layer.h)
    hw_n = h_prev @ w_hh[2 * hidden :].T + b_hh[2 * hidden :]  # (T, H): W_hn h_{t-1} + b_hn
    k_n = (1 - z) * (1 - n * n)  # d(n pre-activation)/dh_t
    k_r = k_n * hw_n * r * (1 - r)
    k_z = (h_prev - n) * z * (1 - z)
    coeff_hw = torch.cat([k_r, k_z, k_n * r], dim=-1)  # (T, 3H): into W_hh h + b_hh
    coeff_xw = torch.cat([k_r, k_z, k_n], dim=-1)  # (T, 3H): into W_ih x + b_ih
    seeds, steps, _ = from_above.shape
    totals = []
    dh_next = from_above.new_zeros(seeds, hidden)
    above = from_above.unbind(1)
    for t in reversed(range(steps)):
        dh = above[t] + dh_next
        dh_next = torch.addmm(dh * z[t], torch.cat([dh, dh, dh], dim=-1).mul_(coeff_hw[t]), w_hh)
        totals.append(dh)
    total = torch.stack(totals[::-1], dim=1)
    return total, torch.cat([total, total, total], dim=-1) * coeff_xw


def _rnn_layer(layer: LayerTrace, from_above, w_hh, relu: bool):
    pre = layer.gates["pre"]
    coeff = (pre > 0).to(pre.dtype) if relu else 1 - layer.h * layer.h  # (T, H)
    seeds, steps, hidden = from_above.shape
    totals = []
    dh_next = from_above.new_zeros(seeds, hidden)
    above = from_above.unbind(1)
    for t in reversed(range(steps)):
        dh = above[t] + dh_next
        dh_next = (dh * coeff[t]) @ w_hh
        totals.append(dh)
    total = torch.stack(totals[::-1], dim=1)
    return total, total * coeff


def backward_through_time(model: CharRNN, layers: list[LayerTrace], direct: torch.Tensor):
    """direct (S, T, H): dL/d(top-layer output) per seed row and step, from the head.

    Returns the total gradients dL/dh_t per layer, [layer] -> (S, T, H), and the gradients
    with respect to the inputs of layer 0 (the embeddings), (S, T, E).
    """
    cfg = model.config
    totals: list[torch.Tensor] = []
    from_above = direct
    for index in reversed(range(cfg.num_layers)):
        layer = layers[index]
        w_ih, w_hh, _, b_hh = (w.detach().cpu() for w in layer_weights(model, index))
        if cfg.cell == "lstm":
            total, d_xw = _lstm_layer(layer, from_above, w_hh)
        elif cfg.cell == "gru":
            total, d_xw = _gru_layer(layer, from_above, w_hh, b_hh)
        else:
            total, d_xw = _rnn_layer(layer, from_above, w_hh, cfg.nonlinearity == "relu")
        totals.insert(0, total)
        from_above = d_xw @ w_ih  # (S, T, In): what reaches the layer below (or the embeddings)
    return totals, from_above

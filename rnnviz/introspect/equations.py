"""The textbook cell equations, in PyTorch's documented gate order: the only forward equations of the fused cells
in rnnviz (the newer cells carry theirs, and their step-by-step replays, in ``rnnviz/cells/``).

    RNN : h' = act(W_ih x + b_ih + W_hh h + b_hh)
    LSTM: i, f, g, o = sigma, sigma, tanh, sigma of (W_ih x + b_ih + W_hh h + b_hh), split in 4
          c' = f * c + i * g ;  h' = o * tanh(c')
    GRU : r, z = sigma of (W_ir x + b_ir + W_hr h + b_hr), (same for z)
          n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) ;  h' = (1 - z) * n + z * h

Each function takes the input projection ``xw`` = W_ih x + b_ih already computed (for every
time step at once, which is where most of the arithmetic is), so the per-step work is one
matrix product with W_hh. Shapes: xw (B, G*H), h and c (B, H). The step-by-step replay calls
them with B = the batch; the batched trace calls them with B = the time steps (every h_{t-1}
is known from the fused layer), and then only the LSTM's cell state remains a recurrence.

Each step takes an optional ``edit(name, value)``: every gate and state of the step passes through it as soon as it
is computed ("i", "f", "g", "o", "c", "h"; "r", "z", "n", "h"; "h"), and the rest of the step goes on with what it
returns. ``intervene.py`` clamps one unit that way; without an edit the step is the textbook one, unchanged.
"""

from __future__ import annotations

import torch

from rnnviz.cells.edit import Edit  # (gate or state name, its value (B, H)) -> the value to go on with


def rnn_step(xw, h, w_hh, b_hh, relu: bool, edit: Edit | None = None):
    pre = xw + h @ w_hh.T + b_hh  # (B, H)
    h_new = torch.relu(pre) if relu else torch.tanh(pre)
    if edit is not None:
        h_new = edit("h", h_new)
    return h_new, {"pre": pre}


def lstm_gates(xw, h, w_hh, b_hh) -> dict[str, torch.Tensor]:
    """i, f, g, o, each (B, H), from the input projection and the previous hidden state."""
    gates = xw + h @ w_hh.T + b_hh  # (B, 4H)
    i, f, g, o = gates.chunk(4, dim=-1)
    return {"i": torch.sigmoid(i), "f": torch.sigmoid(f), "g": torch.tanh(g), "o": torch.sigmoid(o)}


def lstm_cell(i, f, g, c):
    """c' = f * c + i * g: the LSTM's memory update (elementwise)."""
    return f * c + i * g


def lstm_output(o, c_new):
    """h' = o * tanh(c')."""
    return o * torch.tanh(c_new)


def lstm_step(xw, h, c, w_hh, b_hh, edit: Edit | None = None):
    gates = lstm_gates(xw, h, w_hh, b_hh)
    if edit is not None:
        gates = {name: edit(name, value) for name, value in gates.items()}
    c_new = lstm_cell(gates["i"], gates["f"], gates["g"], c)
    if edit is not None:
        c_new = edit("c", c_new)
    h_new = lstm_output(gates["o"], c_new)
    if edit is not None:
        h_new = edit("h", h_new)
    return h_new, c_new, gates


def gru_step(xw, h, w_hh, b_hh, edit: Edit | None = None):
    hw = h @ w_hh.T + b_hh  # (B, 3H)
    x_r, x_z, x_n = xw.chunk(3, dim=-1)
    h_r, h_z, h_n = hw.chunk(3, dim=-1)
    r = torch.sigmoid(x_r + h_r)
    z = torch.sigmoid(x_z + h_z)
    if edit is not None:
        r, z = edit("r", r), edit("z", z)
    n = torch.tanh(x_n + r * h_n)
    if edit is not None:
        n = edit("n", n)
    h_new = (1 - z) * n + z * h
    if edit is not None:
        h_new = edit("h", h_new)
    return h_new, {"r": r, "z": z, "n": n}

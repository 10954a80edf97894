"""minLSTM (Feng et al. 2024, "Were RNNs All We Needed?", arXiv 2410.01201, section 3.2).

The LSTM with its gates cut off from the past, its output gate and its separate cell state dropped:

    f_t  = sigma(W_f x_t + b_f)                 forget gate: from the input only
    i_t  = sigma(W_i x_t + b_i)                 input gate: from the input only
    h~_t = g(W_h x_t + b_h)                     candidate state (``scan.g`` > 0)
    f'_t = f_t / (f_t + i_t),  i'_t = i_t / (f_t + i_t)     normalised, so the state's scale does not drift
    h_t  = f'_t * h_{t-1} + i'_t * h~_t

A linear recurrence in h with a_t = f'_t, b_t = i'_t h~_t: training uses the paper's log-space parallel scan, where
log f'_t = -softplus(softplus(-k_f) - softplus(-k_i)) and log i'_t = -softplus(softplus(-k_i) - softplus(-k_f))
(from log sigma(k) = -softplus(-k)); generation goes step by step. ``replay`` walks the equations above.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.cells.scan import g, log_g, log_space_scan, sequential_scan


class MinLSTMLayer(nn.Module):
    """One minLSTM layer: (B, T, In) -> (B, T, H), its state (B, H)."""

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.hidden_size = hidden_size
        self.linear = nn.Linear(input_size, 3 * hidden_size)  # [k_f | k_i | v]: pre-activations of f, i and h~

    def state_shape(self) -> tuple[int, ...]:
        return (self.hidden_size,)

    def forward(
        self, x: torch.Tensor, h0: torch.Tensor | None = None, parallel: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, In), h0 (B, H) or None (zeros) -> every h_t (B, T, H) and the last (B, H)."""
        k_f, k_i, v = self.linear(x).chunk(3, dim=-1)  # each (B, T, H)
        if parallel and x.shape[1] > 1:
            diff = F.softplus(-k_f) - F.softplus(-k_i)  # (B, T, H): log i_t - log f_t
            log_a = -F.softplus(diff)  # (B, T, H): log f'_t
            log_b = -F.softplus(-diff) + log_g(v)  # (B, T, H): log i'_t + log h~_t
            h = log_space_scan(log_a, log_b, h0)  # (B, T, H)
        else:
            f, i = torch.sigmoid(k_f), torch.sigmoid(k_i)  # each (B, T, H)
            total = f + i  # (B, T, H)
            h = sequential_scan(f / total, i / total * g(v), h0)  # (B, T, H)
        return h, h[:, -1]

    @torch.no_grad()
    def replay(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """The equations of the module docstring, one step after another: f, i, f_norm, i_norm, h_tilde, h, each
        (B, T, H)."""
        k_f_all, k_i_all, v_all = self.linear(x).chunk(3, dim=-1)  # each (B, T, H)
        h = x.new_zeros(x.shape[0], self.hidden_size) if h0 is None else h0  # (B, H)
        names = ("f", "i", "f_norm", "i_norm", "h_tilde", "h")
        record: dict[str, list[torch.Tensor]] = {name: [] for name in names}
        for k_f, k_i, v in zip(k_f_all.unbind(1), k_i_all.unbind(1), v_all.unbind(1)):  # each (B, H)
            f, i = torch.sigmoid(k_f), torch.sigmoid(k_i)  # (B, H)
            f_norm, i_norm = f / (f + i), i / (f + i)  # (B, H)
            h_tilde = g(v)  # (B, H)
            h = f_norm * h + i_norm * h_tilde  # (B, H)
            for name, value in zip(names, (f, i, f_norm, i_norm, h_tilde, h)):
                record[name].append(value)
        return {name: torch.stack(values, dim=1) for name, values in record.items()}  # each (B, T, H)

"""minGRU (Feng et al. 2024, "Were RNNs All We Needed?", arXiv 2410.01201, section 3.1).

The GRU with its gates cut off from the past:

    z_t  = sigma(W_z x_t + b_z)                 update gate: from the input only (the GRU's also reads h_{t-1})
    h~_t = g(W_h x_t + b_h)                     candidate state: no reset gate, no tanh; g > 0 (``scan.g``)
    h_t  = (1 - z_t) * h_{t-1} + z_t * h~_t     the GRU's own interpolation

Because neither z_t nor h~_t reads h_{t-1}, the last line is a linear recurrence h_t = a_t h_{t-1} + b_t with
a_t = 1 - z_t and b_t = z_t h~_t known for every step at once: training runs it as the paper's log-space parallel
scan (log a_t = -softplus(k_t), log b_t = -softplus(-k_t) + log g(v_t), with k, v the two pre-activations), and
generation one step at a time with the state carried. ``replay`` walks the three equations above step by step.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.cells.scan import g, log_g, log_space_scan, sequential_scan


class MinGRULayer(nn.Module):
    """One minGRU layer: (B, T, In) -> (B, T, H), its state (B, H)."""

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.hidden_size = hidden_size
        self.linear = nn.Linear(input_size, 2 * hidden_size)  # [k | v]: the pre-activations of z and of h~

    def state_shape(self) -> tuple[int, ...]:
        return (self.hidden_size,)

    def forward(
        self, x: torch.Tensor, h0: torch.Tensor | None = None, parallel: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, In), h0 (B, H) or None (zeros) -> every h_t (B, T, H) and the last (B, H)."""
        k, v = self.linear(x).chunk(2, dim=-1)  # each (B, T, H)
        if parallel and x.shape[1] > 1:
            log_a = -F.softplus(k)  # (B, T, H): log(1 - z_t)
            log_b = -F.softplus(-k) + log_g(v)  # (B, T, H): log z_t + log h~_t
            h = log_space_scan(log_a, log_b, h0)  # (B, T, H)
        else:
            z = torch.sigmoid(k)  # (B, T, H)
            h = sequential_scan(1 - z, z * g(v), h0)  # (B, T, H)
        return h, h[:, -1]

    @torch.no_grad()
    def replay(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """The equations of the module docstring, one step after another: z, decay (1 - z, what is kept of h_{t-1}),
        h_tilde, h, each (B, T, H)."""
        k_all, v_all = self.linear(x).chunk(2, dim=-1)  # each (B, T, H): the input projections of every step
        h = x.new_zeros(x.shape[0], self.hidden_size) if h0 is None else h0  # (B, H)
        record: dict[str, list[torch.Tensor]] = {"z": [], "decay": [], "h_tilde": [], "h": []}
        for k, v in zip(k_all.unbind(1), v_all.unbind(1)):  # each (B, H)
            z = torch.sigmoid(k)  # (B, H)
            h_tilde = g(v)  # (B, H)
            h = (1 - z) * h + z * h_tilde  # (B, H)
            for name, value in (("z", z), ("decay", 1 - z), ("h_tilde", h_tilde), ("h", h)):
                record[name].append(value)
        return {name: torch.stack(values, dim=1) for name, values in record.items()}  # each (B, T, H)

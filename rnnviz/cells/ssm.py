"""A selective state-space cell in the manner of Mamba's S6 (Gu and Dao 2023, "Mamba: Linear-Time Sequence Modeling
with Selective State Spaces", arXiv 2312.00752, Algorithm 2), small and in plain PyTorch.

Every channel d of the layer keeps a state of N numbers, decaying at its own rates A[d] < 0; what makes it
*selective* is that the step size and the input and output projections are read from the token:

    x_t, z_t = split(W_in u_t + b_in)            the layer's input u_t: a value path x and a gate path z, D each
    x_t      = silu(x_t)
    delta_t  = softplus(W_delta (W_r x_t) + b_delta)   (D,) step size per channel (low rank R, as Mamba)
    B_t      = W_B x_t,  C_t = W_C x_t           (N,) how the token is written into the state and read out of it
    abar_t   = exp(delta_t A)                    (D, N) the decay of this step: a long step forgets more
    h_t      = abar_t * h_{t-1} + (delta_t x_t) B_t     (D, N)  a diagonal linear recurrence
    y_t      = h_t C_t + D_skip * x_t            (D,)
    out_t    = W_out (y_t * silu(z_t))

A = -exp(A_log) with A_log = log(1..N) per channel (S4D-real), b_delta so that delta starts log-uniform in
[0.001, 0.1], as Mamba initialises them. Left out: Mamba's short causal convolution before the scan and its
hardware-aware kernel. Training runs the recurrence as a blocked scan in real space (``scan.linear_scan``: all
blocks at once, inputs of either sign, the backward the same scan run backwards) or step by step; generation goes
step by step with h carried. ``step`` is the equations above for one step; ``replay`` walks them one step after
another, and an intervention edits them (``edit.py``).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.cells.edit import Edit, Record, unchanged
from rnnviz.cells.scan import linear_scan, sequential_scan

DELTA_MIN, DELTA_MAX = 1e-3, 1e-1  # Mamba's range for the initial step sizes


class SelectiveSSMLayer(nn.Module):
    """One selective state-space layer: (B, T, In) -> (B, T, D), its state (B, D, N)."""

    def __init__(self, input_size: int, hidden_size: int, state_size: int = 8):
        super().__init__()
        d, n = hidden_size, state_size
        self.hidden_size, self.state_size = d, n
        self.rank = max(1, math.ceil(d / 16))  # Mamba's dt_rank
        self.in_proj = nn.Linear(input_size, 2 * d)  # [x | z]
        self.x_proj = nn.Linear(d, self.rank + 2 * n, bias=False)  # [delta (low rank) | B | C]
        self.delta_proj = nn.Linear(self.rank, d)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, n + 1, dtype=torch.float32)).repeat(d, 1))  # (D, N)
        self.D = nn.Parameter(torch.ones(d))  # (D,): the skip from x_t to y_t
        self.out_proj = nn.Linear(d, d)
        with torch.no_grad():  # Mamba's step-size initialisation: softplus(b_delta) log-uniform in the range
            nn.init.uniform_(self.delta_proj.weight, -(self.rank**-0.5), self.rank**-0.5)
            delta = torch.exp(torch.rand(d) * (math.log(DELTA_MAX) - math.log(DELTA_MIN)) + math.log(DELTA_MIN))
            self.delta_proj.bias.copy_(delta + torch.log(-torch.expm1(-delta)))  # the inverse of softplus

    def state_shape(self) -> tuple[int, ...]:
        return (self.hidden_size, self.state_size)

    def _inputs(self, u: torch.Tensor) -> dict[str, torch.Tensor]:
        """Everything that depends on the tokens alone, for every step at once: u (B, T, In) -> x, z, delta (B, T, D);
        B, C (B, T, N)."""
        x, z = self.in_proj(u).chunk(2, dim=-1)  # each (B, T, D)
        x = F.silu(x)  # (B, T, D)
        low, b_in, c_out = self.x_proj(x).split([self.rank, self.state_size, self.state_size], dim=-1)
        delta = F.softplus(self.delta_proj(low))  # (B, T, D)
        return {"x": x, "z": z, "delta": delta, "B": b_in, "C": c_out}

    def forward(
        self, u: torch.Tensor, h0: torch.Tensor | None = None, parallel: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """u (B, T, In), h0 (B, D, N) or None (zeros) -> out (B, T, D) and the last state (B, D, N)."""
        p = self._inputs(u)
        A = -torch.exp(self.A_log)  # (D, N)
        log_a = p["delta"].unsqueeze(-1) * A  # (B, T, D, N): log abar_t
        b = (p["delta"] * p["x"]).unsqueeze(-1) * p["B"].unsqueeze(2)  # (B, T, D, N)
        if parallel and u.shape[1] > 1:
            h = linear_scan(torch.exp(log_a), b, h0)  # (B, T, D, N)
        else:
            h = sequential_scan(torch.exp(log_a), b, h0)  # (B, T, D, N)
        y = (h * p["C"].unsqueeze(2)).sum(-1) + self.D * p["x"]  # (B, T, D)
        out = self.out_proj(y * F.silu(p["z"]))  # (B, T, D)
        return out, h[:, -1]

    def step(
        self, inputs: dict[str, torch.Tensor], h: torch.Tensor, edit: Edit = unchanged
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One step of the equations of the module docstring: from this step's ``_inputs`` (x, z, delta (B, D);
        B, C (B, N)) and the state h_{t-1} (B, D, N) to the layer's output (B, D) and h_t (B, D, N). delta (its
        step size per channel: it sets both the decay and the write), decay (abar, (B, D, N)), h (the state,
        (B, D, N)), y, gate (silu z) and out (the layer's output, what the layer above and the head read) pass
        through ``edit`` as soon as each is computed (``edit.py``)."""
        A = -torch.exp(self.A_log)  # (D, N)
        x = inputs["x"]  # (B, D)
        delta = edit("delta", inputs["delta"])  # (B, D)
        decay = edit("decay", torch.exp(delta.unsqueeze(-1) * A))  # (B, D, N)
        h = edit("h", decay * h + (delta * x).unsqueeze(-1) * inputs["B"].unsqueeze(1))  # (B, D, N)
        y = edit("y", (h * inputs["C"].unsqueeze(1)).sum(-1) + self.D * x)  # (B, D)
        gate = edit("gate", F.silu(inputs["z"]))  # (B, D)
        return edit("out", self.out_proj(y * gate)), h  # (B, D), (B, D, N)

    @torch.no_grad()
    def replay(self, u: torch.Tensor, h0: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """``step`` after ``step``, every value recorded: delta, y, gate, out (B, T, D); B, C (B, T, N); decay
        (abar) and state h (B, T, D, N)."""
        p = self._inputs(u)
        h = u.new_zeros(u.shape[0], self.hidden_size, self.state_size) if h0 is None else h0  # (B, D, N)
        record = Record()
        for t in range(u.shape[1]):
            _, h = self.step({name: value[:, t] for name, value in p.items()}, h, record)
        recorded = record.stacked()
        return {"delta": recorded.pop("delta"), "B": p["B"], "C": p["C"], **recorded}

"""minLSTM (Feng et al. 2024, "Were RNNs All We Needed?", arXiv 2410.01201, section 3.2).

The LSTM with its gates cut off from the past, its output gate and its separate cell state dropped:

    f_t  = sigma(W_f x_t + b_f)                 forget gate: from the input only
    i_t  = sigma(W_i x_t + b_i)                 input gate: from the input only
    h~_t = g(W_h x_t + b_h)                     candidate state (``scan.g`` > 0)
    f'_t = f_t / (f_t + i_t),  i'_t = i_t / (f_t + i_t)     normalised, so the state's scale does not drift
    h_t  = f'_t * h_{t-1} + i'_t * h~_t

A linear recurrence in h with a_t = f'_t, b_t = i'_t h~_t. Training runs it for all steps at once as a blocked scan
in real space (``scan.forward_scan``; f' + i' = 1 makes the last line lerp(h_{t-1}, h~_t, i'_t)), the projection,
the gates and the scan in one autograd Function whose backward is written out (``_MinLSTM``); the paper's log-space
parallel scan, with log f'_t = -softplus(softplus(-k_f) - softplus(-k_i)) and
log i'_t = -softplus(softplus(-k_i) - softplus(-k_f)) (from log sigma(k) = -softplus(-k)), is kept as
``log_space=True`` (scan.py says why training no longer uses it). Generation goes step by step. ``replay`` walks the
equations above.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.autograd.function import once_differentiable

from rnnviz.cells.edit import Edit, Record, unchanged
from rnnviz.cells.projection import ProjectionGrad, part_product, project, with_ones
from rnnviz.cells.scan import (
    Lerp,
    backward_scan,
    forward_scan,
    g,
    g_backward,
    g_value,
    log_g,
    log_space_scan,
    next_decays,
    scan_chunk,
    sequential_scan,
    sigmoid_slope,
    start_state,
    with_previous,
)


class MinLSTMLayer(nn.Module):
    """One minLSTM layer: (B, T, In) -> (B, T, H), its state (B, H)."""

    def __init__(self, input_size: int, hidden_size: int, log_space: bool = False):
        super().__init__()
        self.hidden_size = hidden_size
        self.log_space = log_space  # the parallel path through the paper's log-space scan, not ``_MinLSTM``
        self.linear = nn.Linear(input_size, 3 * hidden_size)  # [k_f | k_i | v]: pre-activations of f, i and h~

    def state_shape(self) -> tuple[int, ...]:
        return (self.hidden_size,)

    def forward(
        self, x: torch.Tensor, h0: torch.Tensor | None = None, parallel: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, In), h0 (B, H) or None (zeros) -> every h_t (B, T, H) and the last (B, H)."""
        if not parallel or x.shape[1] == 1:
            h = self._step_by_step(x, h0)
        elif self.log_space:
            h = self._log_space(x, h0)
        else:
            h = _MinLSTM.apply(x, self.linear.weight, self.linear.bias, h0, scan_chunk(x.shape[1]))  # (B, T, H)
        return h, h[:, -1]

    def _step_by_step(self, x: torch.Tensor, h0: torch.Tensor | None) -> torch.Tensor:
        """The recurrence one step at a time, autograd through every step: x (B, T, In) -> h (B, T, H)."""
        k_f, k_i, v = project(x, self.linear, parts=3)  # each (B, T, H)
        f, i = torch.sigmoid(k_f), torch.sigmoid(k_i)  # each (B, T, H)
        total = f + i  # (B, T, H)
        return sequential_scan(f / total, i / total * g(v), h0)  # (B, T, H)

    def _log_space(self, x: torch.Tensor, h0: torch.Tensor | None) -> torch.Tensor:
        """The paper's parallel scan, in log space (float64 inside): x (B, T, In) -> h (B, T, H)."""
        k_f, k_i, v = project(x, self.linear, parts=3)  # each (B, T, H)
        diff = F.softplus(-k_f) - F.softplus(-k_i)  # (B, T, H): log i_t - log f_t
        log_a = -F.softplus(diff)  # (B, T, H): log f'_t
        log_b = -F.softplus(-diff) + log_g(v)  # (B, T, H): log i'_t + log h~_t
        return log_space_scan(log_a, log_b, h0)  # (B, T, H)

    def step(self, projected: torch.Tensor, h: torch.Tensor, edit: Edit = unchanged) -> torch.Tensor:
        """One step of the equations of the module docstring, from this step's input projection ``linear(x_t)``
        (B, 3H) and h_{t-1} (B, H) to h_t (B, H); f, i, f_norm, i_norm (normalised from the f and i the edit
        returned), h_tilde and h pass through ``edit`` as soon as each is computed (``edit.py``)."""
        k_f, k_i, v = projected.chunk(3, dim=-1)  # each (B, H)
        f, i = edit("f", torch.sigmoid(k_f)), edit("i", torch.sigmoid(k_i))  # (B, H)
        f_norm, i_norm = edit("f_norm", f / (f + i)), edit("i_norm", i / (f + i))  # (B, H)
        h_tilde = edit("h_tilde", g(v))  # (B, H)
        return edit("h", f_norm * h + i_norm * h_tilde)  # (B, H)

    @torch.no_grad()
    def replay(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """``step`` after ``step``, every value recorded: f, i, f_norm, i_norm, h_tilde, h, each (B, T, H)."""
        projected = self.linear(x)  # (B, T, 3H)
        h = x.new_zeros(x.shape[0], self.hidden_size) if h0 is None else h0  # (B, H)
        record = Record()
        for step_input in projected.unbind(1):  # each (B, 3H)
            h = self.step(step_input, h, record)
        return record.stacked()  # each (B, T, H)


class _MinLSTM(torch.autograd.Function):
    """The parallel path in one Function, as ``mingru._MinGRU`` (whose docstring says why): x (B, T, In), the
    projection's weight (3H, In) and bias (3H,), h0 (B, H) or None -> h (B, T, H).

    f' + i' = 1, so h_t = f'_t h_{t-1} + i'_t h~_t = lerp(h_{t-1}, h~_t, i'_t): the forward forms
    i'_t = i_t / (f_t + i_t) as the step-by-step path does and scans that (``scan.Lerp``; f' and i' h~ are never
    formed). Backward, with g_t the gradient reaching h_t in full (``backward_scan``, decays a_{t+1} = 1 - i'_{t+1}):
    dL/di'_t = g_t (h~_t - h_{t-1}); i' = sigma(-r) for r = log f - log i, so dL/dr = -dL/di' i' (1 - i'), and
    d log sigma(k) / dk = 1 - sigma(k) gives dL/dk_f = dL/dr (1 - f), dL/dk_i = -dL/dr (1 - i); dL/dh~_t = g_t i'_t,
    then dL/dv_t through g."""

    @staticmethod
    def forward(ctx, x, weight, bias, h0, chunk):
        shape = (x.shape[0], x.shape[1], weight.shape[0] // 3)  # (B, T, H)
        rows = with_ones(x, bias)  # (B*T, In + 1)
        products = [part_product(rows, w, b).view(shape) for w, b in zip(weight.chunk(3), bias.chunk(3))]
        f, i, h_tilde = products[0].sigmoid_(), products[1].sigmoid_(), products[2]  # each (B, T, H)
        i_norm = f + i  # (B, T, H): f + i, then i'
        torch.div(i, i_norm, out=i_norm)
        h = torch.empty_like(f)  # (B, T, H): scratch for g, then the states
        g_value(h_tilde, scratch=h, out=h_tilde)
        start = start_state(h_tilde, h0)  # (B, H)
        forward_scan(i_norm, h_tilde, start, chunk, form=Lerp, out=h)
        ctx.save_for_backward(rows, weight, f, i, i_norm, h_tilde, h, start)
        ctx.chunk, ctx.in_shape = chunk, x.shape
        return h

    @staticmethod
    @once_differentiable  # written with out= ops: no graph of its own
    def backward(ctx, dh):
        rows, weight, f, i, i_norm, h_tilde, h, start = ctx.saved_tensors
        spare = next_decays(i_norm)  # (B, T, H): a_(t+1) = 1 - i'_(t+1)
        grad = backward_scan(spare, dh, ctx.chunk, shifted=True)  # (B, T, H): g_t
        dh0 = (1 - i_norm[:, 0]) * grad[:, 0] if ctx.needs_input_grad[3] else None  # (B, H)
        gathered = ProjectionGrad(rows, weight, 3, has_bias=True, need_dx=ctx.needs_input_grad[0])
        slope = with_previous(torch.sub, h_tilde, h, start, out=spare).mul_(grad)  # (B, T, H): dL/di'
        sigmoid_slope(slope, i_norm, out=slope)  # (B, T, H): -dL/dr
        other = torch.addcmul(slope, slope, i, value=-1)  # (B, T, H): -dL/dr (1 - i) = dL/dk_i
        gathered.add(1, other)
        gathered.add(0, torch.addcmul(slope, slope, f, value=-1, out=slope), sign=-1.0)  # dL/dk_f = dL/dr (1 - f)
        gathered.add(2, g_backward(grad.mul_(i_norm), h_tilde, out=other))  # dL/dv from dL/dh~ = g i'
        return (*gathered.result(ctx.in_shape), dh0, None)

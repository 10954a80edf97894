"""minGRU (Feng et al. 2024, "Were RNNs All We Needed?", arXiv 2410.01201, section 3.1).

The GRU with its gates cut off from the past:

    z_t  = sigma(W_z x_t + b_z)                 update gate: from the input only (the GRU's also reads h_{t-1})
    h~_t = g(W_h x_t + b_h)                     candidate state: no reset gate, no tanh; g > 0 (``scan.g``)
    h_t  = (1 - z_t) * h_{t-1} + z_t * h~_t     the GRU's own interpolation

Because neither z_t nor h~_t reads h_{t-1}, the last line is a linear recurrence h_t = a_t h_{t-1} + b_t with
a_t = 1 - z_t and b_t = z_t h~_t known for every step at once. Training runs it for all steps at once as a blocked
scan in real space (``scan.forward_scan``, in the lerp form of the last line as written), the projection, the gates
and the scan in one autograd Function whose backward is written out (``_MinGRU``); the paper's log-space parallel
scan (log a_t = -softplus(k_t), log b_t = -softplus(-k_t) + log g(v_t), with k, v the two pre-activations) is kept
as ``log_space=True`` (scan.py says why training no longer uses it, with the figures). Generation goes one step at a
time with the state carried. ``step`` is the three equations above for one step; ``replay`` walks them step by
step, and an intervention edits them (``edit.py``).
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


class MinGRULayer(nn.Module):
    """One minGRU layer: (B, T, In) -> (B, T, H), its state (B, H)."""

    def __init__(self, input_size: int, hidden_size: int, log_space: bool = False):
        super().__init__()
        self.hidden_size = hidden_size
        self.log_space = log_space  # the parallel path through the paper's log-space scan, not ``_MinGRU``
        self.linear = nn.Linear(input_size, 2 * hidden_size)  # [k | v]: the pre-activations of z and of h~

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
            h = _MinGRU.apply(x, self.linear.weight, self.linear.bias, h0, scan_chunk(x.shape[1]))  # (B, T, H)
        return h, h[:, -1]

    def _step_by_step(self, x: torch.Tensor, h0: torch.Tensor | None) -> torch.Tensor:
        """The recurrence one step at a time, autograd through every step: x (B, T, In) -> h (B, T, H)."""
        k, v = project(x, self.linear, parts=2)  # each (B, T, H)
        z = torch.sigmoid(k)  # (B, T, H)
        return sequential_scan(1 - z, z * g(v), h0)  # (B, T, H)

    def _log_space(self, x: torch.Tensor, h0: torch.Tensor | None) -> torch.Tensor:
        """The paper's parallel scan, in log space (float64 inside): x (B, T, In) -> h (B, T, H)."""
        k, v = project(x, self.linear, parts=2)  # each (B, T, H)
        log_a = -F.softplus(k)  # (B, T, H): log(1 - z_t)
        log_b = -F.softplus(-k) + log_g(v)  # (B, T, H): log z_t + log h~_t
        return log_space_scan(log_a, log_b, h0)  # (B, T, H)

    def step(self, projected: torch.Tensor, h: torch.Tensor, edit: Edit = unchanged) -> torch.Tensor:
        """One step of the equations of the module docstring, from this step's input projection ``linear(x_t)``
        (B, 2H) and h_{t-1} (B, H) to h_t (B, H); z, decay (1 - z, what is kept of h_{t-1}: an edit of it leaves
        z's write as it is), h_tilde and h pass through ``edit`` as soon as each is computed (``edit.py``)."""
        k, v = projected.chunk(2, dim=-1)  # each (B, H)
        z = edit("z", torch.sigmoid(k))  # (B, H)
        decay = edit("decay", 1 - z)  # (B, H)
        h_tilde = edit("h_tilde", g(v))  # (B, H)
        return edit("h", decay * h + z * h_tilde)  # (B, H)

    @torch.no_grad()
    def replay(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """``step`` after ``step``, every value recorded: z, decay, h_tilde, h, each (B, T, H)."""
        projected = self.linear(x)  # (B, T, 2H): the input projections of every step
        h = x.new_zeros(x.shape[0], self.hidden_size) if h0 is None else h0  # (B, H)
        record = Record()
        for step_input in projected.unbind(1):  # each (B, 2H)
            h = self.step(step_input, h, record)
        return record.stacked()  # each (B, T, H)


class _MinGRU(torch.autograd.Function):
    """The parallel path in one Function, from the layer's input to every state, its backward written out:
    x (B, T, In), the projection's weight (2H, In) and bias (2H,), h0 (B, H) or None -> h (B, T, H).

    Forward: k and v from their own products (``projection``), z = sigmoid(k) and h~ = g(v) each in its product's
    buffer, then h_t = lerp(h_{t-1}, h~_t, z_t), the module's interpolation as written (``scan.Lerp``: a = 1 - z and
    b = z h~ are never formed). Backward, with g_t the gradient reaching h_t in full (``backward_scan``, decays
    a_{t+1} = 1 - z_{t+1}): dL/dz_t = g_t (h~_t - h_{t-1}), dL/dk_t = dL/dz_t z_t (1 - z_t), dL/dh~_t = g_t z_t, then
    dL/dv_t through g; each part's gradient goes into the projection's products as soon as it is formed, and its
    buffer serves the next. Three tensors of (B, T, H) are new in the forward and two in the backward: on a CPU,
    memory handed over fresh costs a page fault per 4 KiB, as much as the op that first writes it (at the scaling
    bench's size a step of this path makes none in a run of steps; with the projection and the gates as Functions
    of their own, 1,500-8,500; through log space, 40,000, 95 ms of the step). The saved tensors are only read, so a
    graph kept for a second backward stays right."""

    @staticmethod
    def forward(ctx, x, weight, bias, h0, chunk):
        batch, steps, hidden = x.shape[0], x.shape[1], weight.shape[0] // 2
        rows = with_ones(x, bias)  # (B*T, In + 1)
        (w_k, w_v), (b_k, b_v) = weight.chunk(2), bias.chunk(2)
        z = part_product(rows, w_k, b_k).view(batch, steps, hidden).sigmoid_()  # (B, T, H)
        h_tilde = part_product(rows, w_v, b_v).view(batch, steps, hidden)  # (B, T, H): v, then g(v)
        h = torch.empty_like(z)  # (B, T, H): scratch for g, then the states
        g_value(h_tilde, scratch=h, out=h_tilde)
        start = start_state(h_tilde, h0)  # (B, H)
        forward_scan(z, h_tilde, start, chunk, form=Lerp, out=h)
        ctx.save_for_backward(rows, weight, z, h_tilde, h, start)
        ctx.chunk, ctx.in_shape = chunk, x.shape
        return h

    @staticmethod
    @once_differentiable  # written with out= ops: no graph of its own
    def backward(ctx, dh):
        rows, weight, z, h_tilde, h, start = ctx.saved_tensors
        spare = next_decays(z)  # (B, T, H): a_(t+1) = 1 - z_(t+1)
        grad = backward_scan(spare, dh, ctx.chunk, shifted=True)  # (B, T, H): g_t
        dh0 = (1 - z[:, 0]) * grad[:, 0] if ctx.needs_input_grad[3] else None  # (B, H)
        gathered = ProjectionGrad(rows, weight, 2, has_bias=True, need_dx=ctx.needs_input_grad[0])
        dz = with_previous(torch.sub, h_tilde, h, start, out=spare).mul_(grad)  # (B, T, H): the decays are spent
        gathered.add(0, sigmoid_slope(dz, z, out=dz))  # dL/dk, in place
        gathered.add(1, g_backward(grad.mul_(z), h_tilde, out=spare))  # dL/dv from dL/dh~ = g z; dL/dk is spent
        return (*gathered.result(ctx.in_shape), dh0, None)

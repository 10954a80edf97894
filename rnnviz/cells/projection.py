"""``project``: an ``nn.Linear`` applied as matrix products with the bias folded in, one product for each part of
its output, for the newer cells' input projections: their outputs are wide (minGRU's [k | v], 2H = 1,138 columns
from E = 32 inputs at the scaling bench's budget) and are split into parts at once.

On a CPU with one thread (MKL), ``F.linear`` on (4,096, 32) rows took 14-17 ms there, about three times the product
itself: it multiplies by the weight's transposed view and adds the bias in a pass of its own; its backward computes
the weight's gradient as ``grad.t() @ x``, which copied the (4,096, 1,138) gradient first (13.8 ms with the bias's
sum, against 6.0 ms here). Here the inputs get a column of ones and the weight's transpose the bias as a row, so one
product gives x W^T + b and one product the weight's and the bias's gradients together, as ``[x | 1]^T @ grad``.
Each part is its own product, so each comes out contiguous: the elementwise work after it reads k and v, and writes
their gradients, at unit stride (``chunk``'s views of one wide output cost a sigmoid 3.0 ms against 1.4 ms, and
writing a gradient into such a view 2.3-4.2 ms against 1.4). The values are ``F.linear``'s up to float rounding
(sums in another order).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.autograd.function import once_differentiable

FEW_ROWS = 256  # below this many rows ``project`` is plain ``nn.Linear``: building [W^T; b] costs more than it saves


def project(x: torch.Tensor, linear: nn.Linear, parts: int = 1) -> tuple[torch.Tensor, ...]:
    """linear(x).chunk(parts, dim=-1), each part contiguous: x (..., In) -> ``parts`` tensors (..., Out / parts).
    For fewer than ``FEW_ROWS`` rows (a generated token: one) it is exactly that, views and all: there the copies
    of the weight cost more than the product (a token's step of minGRU's layer, H = 569, took 226 us through
    ``_Project`` and g's Function, 94 us through ``nn.Linear`` and g's plain ops)."""
    if x.numel() < FEW_ROWS * x.shape[-1]:
        return linear(x).chunk(parts, dim=-1)
    return _Project.apply(x, linear.weight, linear.bias, parts)


def with_ones(x: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """The rows the products read: x (..., In) flattened to (N, In), and a column of ones when there is a bias."""
    rows = x.reshape(-1, x.shape[-1])  # (N, In)
    return rows if bias is None else torch.cat([rows, rows.new_ones(rows.shape[0], 1)], dim=1)  # (N, In + 1)


def part_product(rows: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """One part of the projection, rows (N, In [+ 1]) @ [W^T; b] -> (N, Out_p), contiguous and new."""
    stacked = weight.t().contiguous() if bias is None else torch.cat([weight.t(), bias.unsqueeze(0)])
    return rows.mm(stacked)  # (N, Out_p)


class ProjectionGrad:
    """The projection's gradients, gathered part by part, so a caller can hand each part's gradient over as soon
    as it is formed and reuse its buffer: dx += grad_p @ W_p, [dW_p^T; db_p] = rows^T @ grad_p."""

    def __init__(self, rows: torch.Tensor, weight: torch.Tensor, parts: int, has_bias: bool, need_dx: bool):
        self.rows, self.pieces, self.has_bias = rows, weight.chunk(parts), has_bias  # pieces: (Out_p, In) each
        self.dx = rows.new_zeros(rows.shape[0], weight.shape[1]) if need_dx else None  # (N, In)
        self.columns: list[torch.Tensor | None] = [None] * parts  # each (In [+ 1], Out_p)

    def add(self, index: int, grad: torch.Tensor, sign: float = 1.0) -> None:
        """Part ``index``'s gradient is sign * grad (the sign is folded into the products: no pass over grad)."""
        flat = grad.reshape(self.rows.shape[0], -1)  # (N, Out_p)
        if self.dx is not None:
            self.dx.addmm_(flat, self.pieces[index], alpha=sign)
        columns = self.rows.t().mm(flat)  # (In [+ 1], Out_p)
        self.columns[index] = columns if sign == 1.0 else columns.mul_(sign)

    def result(self, in_shape) -> tuple[torch.Tensor | None, torch.Tensor, torch.Tensor | None]:
        """dx (in_shape) or None, dW (Out, In), db (Out,) or None."""
        both = torch.cat(self.columns, dim=1)  # (In [+ 1], Out)
        inputs = self.pieces[0].shape[1]
        dx = None if self.dx is None else self.dx.view(in_shape)
        return dx, both[:inputs].t(), both[-1] if self.has_bias else None


class _Project(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, parts):
        rows = with_ones(x, bias)  # (N, In [+ 1])
        biases = bias.chunk(parts) if bias is not None else [None] * parts
        outs = [part_product(rows, w, b).view(*x.shape[:-1], -1) for w, b in zip(weight.chunk(parts), biases)]
        ctx.save_for_backward(rows, weight)
        ctx.in_shape, ctx.has_bias, ctx.parts = x.shape, bias is not None, parts
        return tuple(outs)  # each (..., Out_p)

    @staticmethod
    @once_differentiable  # written with out= ops: no graph of its own
    def backward(ctx, *grads):
        rows, weight = ctx.saved_tensors
        gathered = ProjectionGrad(rows, weight, ctx.parts, ctx.has_bias, ctx.needs_input_grad[0])
        for index, grad in enumerate(grads):
            gathered.add(index, grad)
        return (*gathered.result(ctx.in_shape), None)

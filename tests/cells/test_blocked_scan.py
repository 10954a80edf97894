"""The blocked real-space scan (``linear_scan``, ``forward_scan``, ``backward_scan``), the activation g without a
mask, and the folded-bias projection give the step-by-step loop's and ``nn.Linear``'s values and gradients."""

import pytest
import torch
import torch.nn.functional as F

from rnnviz.cells.projection import FEW_ROWS, ProjectionGrad, project, with_ones
from rnnviz.cells.scan import (
    Lerp,
    backward_scan,
    forward_scan,
    g,
    linear_scan,
    next_decays,
    scan_chunk,
    sequential_scan,
)


def _random(shape, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator, dtype=torch.float64)


@pytest.mark.parametrize("steps", [1, 2, 7, 16, 37, 130, 300])
@pytest.mark.parametrize("chunk", [None, 4, 16])
@pytest.mark.parametrize("with_state", [False, True])
def test_the_linear_scan_equals_the_loop_in_values_and_gradients(steps, chunk, with_state):
    a0 = torch.sigmoid(_random((2, steps, 3, 4), seed=1) * 3)  # (B, T, D, N): from strong forgetting to none
    b0 = _random((2, steps, 3, 4), seed=2)  # inputs of either sign
    start = _random((2, 3, 4), seed=3) if with_state else None
    weights = _random((2, steps, 3, 4), seed=4)  # a loss that reads every step, and the last state again

    def run(scan):
        a, b = a0.clone().requires_grad_(), b0.clone().requires_grad_()
        h0 = start.clone().requires_grad_() if with_state else None
        h = scan(a, b, h0)
        inputs = (a, b, h0) if with_state else (a, b)
        return (h, *torch.autograd.grad((h * weights).sum() + (h[:, -1] ** 2).sum(), inputs))

    blocked = run(lambda a, b, h0: linear_scan(a, b, h0, chunk))
    for got, loop in zip(blocked, run(sequential_scan)):
        assert (got - loop).abs().max() < 1e-10


@pytest.mark.parametrize("steps", [5, 64, 100])
def test_the_lerp_form_is_the_linear_recurrence_with_a_one_minus_z_and_b_z_y(steps):
    z, y = torch.sigmoid(_random((3, steps, 5))), _random((3, steps, 5), seed=1)
    start = _random((3, 5), seed=2)
    lerp = forward_scan(z, y, start, chunk=8, form=Lerp)
    assert (lerp - sequential_scan(1 - z, z * y, start)).abs().max() < 1e-12


@pytest.mark.parametrize("steps", [1, 9, 64, 77])
def test_the_backward_scan_is_the_gradient_of_the_loop_shifted_or_not(steps):
    z = torch.sigmoid(_random((2, steps, 6)))
    dh = _random((2, steps, 6), seed=1)
    b = _random((2, steps, 6), seed=2).requires_grad_()
    (expected,) = torch.autograd.grad((sequential_scan(1 - z, b) * dh).sum(), b)  # g_t = dL/db_t
    assert (backward_scan(1 - z, dh, chunk=8) - expected).abs().max() < 1e-12
    assert (backward_scan(next_decays(z), dh, chunk=8, shifted=True) - expected).abs().max() < 1e-12


def test_the_block_size_grows_as_the_root_of_the_length_within_bounds():
    assert [scan_chunk(t) for t in (1, 64, 256, 1024, 4096, 10**6)] == [8, 8, 16, 32, 64, 64]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_g_is_the_textbook_activation_to_the_float_and_its_gradient_the_textbook_slope(dtype):
    near_zero = torch.linspace(-1e-6, 1e-6, 20001, dtype=dtype)
    wide = torch.cat([torch.randn(10**5, dtype=dtype) * 5, torch.tensor([0.0, -0.0, -100.0, 100.0, -1e4], dtype=dtype)])
    x = torch.cat([wide, near_zero])
    assert torch.equal(g(x), torch.where(x >= 0, x + 0.5, torch.sigmoid(x)))
    away = wide[wide.abs() > 1e-6].clone().requires_grad_()
    (mine,) = torch.autograd.grad(g(away).sum(), away)
    (textbook,) = torch.autograd.grad(torch.where(away >= 0, away + 0.5, torch.sigmoid(away)).sum(), away)
    assert (mine - textbook).abs().max() <= 4 * torch.finfo(dtype).eps


def test_g_passes_gradcheck():
    x = (torch.randn(40, dtype=torch.float64) * 3).requires_grad_()
    assert torch.autograd.gradcheck(g, (x,))


@pytest.mark.parametrize("parts", [1, 2, 3])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("steps", [3, 200])  # 6 rows: nn.Linear itself; 400: the folded products
def test_the_projection_is_nn_linear_split_into_parts(parts, bias, steps):
    torch.manual_seed(0)
    linear = torch.nn.Linear(5, 6 * parts, bias=bias).double()
    x = torch.randn(2, steps, 5, dtype=torch.float64, requires_grad=True)
    weights = torch.randn(2, steps, 6 * parts, dtype=torch.float64)

    def grads(outputs):
        linear.zero_grad()
        x.grad = None
        (torch.cat(outputs, dim=-1) * weights).sum().backward()
        return [x.grad, *(p.grad for p in linear.parameters())]

    mine = project(x, linear, parts)
    assert all(part.shape == (2, steps, 6) for part in mine)
    assert all(part.is_contiguous() for part in mine) or 2 * steps < FEW_ROWS
    reference = linear(x).chunk(parts, dim=-1)
    for got, expected in zip(mine, reference):
        assert (got - expected).abs().max() < 1e-12
    for got, expected in zip(grads(project(x, linear, parts)), grads(linear(x).chunk(parts, dim=-1))):
        assert (got - expected).abs().max() < 1e-12


def test_a_sign_given_with_a_parts_gradient_is_that_of_the_negated_gradient():
    torch.manual_seed(0)
    weight, bias = torch.randn(6, 4, dtype=torch.float64), torch.randn(6, dtype=torch.float64)
    x, grad = torch.randn(10, 4, dtype=torch.float64), torch.randn(10, 3, dtype=torch.float64)
    signed, negated = (ProjectionGrad(with_ones(x, bias), weight, 2, has_bias=True, need_dx=True) for _ in range(2))
    for gathered in (signed, negated):
        gathered.add(0, grad)
    signed.add(1, grad, sign=-1.0)
    negated.add(1, -grad)
    for a, b in zip(signed.result(x.shape), negated.result(x.shape)):
        assert (a - b).abs().max() < 1e-12


def test_the_scan_runs_in_the_inputs_dtype_and_keeps_float32_exact_over_long_sequences():
    torch.manual_seed(0)
    z = torch.sigmoid(torch.randn(2, 4096, 8) * 4)  # gates far from one half, as trained ones are
    y = torch.randn(2, 4096, 8)
    h = forward_scan(z, y, torch.zeros(2, 8), scan_chunk(4096), form=Lerp)
    assert h.dtype == torch.float32
    loop = sequential_scan(1 - z.double(), z.double() * y.double())
    assert (h.double() - loop).abs().max() < 1e-5 * max(1.0, float(loop.abs().max()))
    assert F.l1_loss(h.double(), loop) < 1e-6

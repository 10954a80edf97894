"""The parallel log-space scans give the step-by-step loop's states and, through autograd, its gradients."""

import pytest
import torch
import torch.nn.functional as F

from rnnviz.cells.scan import chunked_scan, g, log_g, log_space_scan, sequential_scan, signed_log_space_scan


def _inputs(shape, seed=0):
    generator = torch.Generator().manual_seed(seed)
    k = torch.randn(shape, generator=generator, dtype=torch.float64)  # (B, T, H)
    v = torch.randn(shape, generator=generator, dtype=torch.float64) * 2  # (B, T, H)
    return k, v


def test_g_is_positive_continuous_and_its_log_is_log_g():
    x = torch.linspace(-30, 30, 601, dtype=torch.float64)
    assert (g(x) > 0).all() and torch.allclose(torch.log(g(x)), log_g(x))
    assert float(g(torch.tensor(0.0))) == 0.5 == float(g(torch.tensor(-1e-9)).round(decimals=6))


@pytest.mark.parametrize("with_state", [False, True])
def test_the_log_space_scan_equals_the_loop(with_state):
    k, v = _inputs((2, 300, 5))
    h0 = torch.rand(2, 5, dtype=torch.float64) if with_state else None  # (B, H)
    z = torch.sigmoid(k)
    loop = sequential_scan(1 - z, z * g(v), h0)  # (B, T, H)
    scan = log_space_scan(-F.softplus(k), -F.softplus(-k) + log_g(v), h0)  # (B, T, H)
    assert (scan - loop).abs().max() < 1e-10
    float32 = log_space_scan((-F.softplus(k)).float(), (-F.softplus(-k) + log_g(v)).float())  # float64 inside
    assert (float32.double() - sequential_scan(1 - z, z * g(v))).abs().max() < 1e-5


def test_the_signed_scan_takes_inputs_of_either_sign_and_a_state():
    k, v = _inputs((2, 200, 3, 4), seed=1)
    log_a = -F.softplus(k)  # (B, T, D, N)
    h0 = torch.randn(2, 3, 4, dtype=torch.float64)
    assert (v < 0).any() and (v > 0).any()
    loop = sequential_scan(torch.exp(log_a), v, h0)
    assert (signed_log_space_scan(log_a, v, h0) - loop).abs().max() < 1e-10


@pytest.mark.parametrize("steps", [1, 16, 37])
def test_the_chunked_scan_equals_the_loop_in_values_and_gradients(steps):
    k, v = _inputs((2, steps, 3, 4), seed=3)
    h0 = torch.randn(2, 3, 4, dtype=torch.float64)

    def run(scan):
        kk, vv = k.clone().requires_grad_(), v.clone().requires_grad_()
        log_a = -F.softplus(kk) * 3  # (B, T, D, N): up to strong forgetting
        h = scan(log_a, vv, h0) if scan is chunked_scan else scan(torch.exp(log_a), vv, h0)
        return (h, *torch.autograd.grad((h * torch.cos(h)).sum(), (kk, vv)))

    for chunked, loop in zip(run(chunked_scan), run(sequential_scan)):
        assert (chunked - loop).abs().max() < 1e-10
    assert chunked_scan(torch.full((1, 3, 1), -500.0), torch.ones(1, 3, 1)).isfinite().all()  # no 1/0 in a chunk


def test_the_gradients_of_the_scan_are_those_of_the_loop():
    k, v = _inputs((2, 40, 3), seed=2)
    weights = torch.randn(2, 40, 3, dtype=torch.float64)  # a loss that reads every step
    start = torch.rand(2, 3, dtype=torch.float64)  # (B, H)

    def grads(parallel: bool):
        kk, vv = k.clone().requires_grad_(), v.clone().requires_grad_()
        h0 = start.clone().requires_grad_()
        if parallel:
            h = log_space_scan(-F.softplus(kk), -F.softplus(-kk) + log_g(vv), h0)
        else:
            z = torch.sigmoid(kk)
            h = sequential_scan(1 - z, z * g(vv), h0)
        return torch.autograd.grad((h * weights).sum(), (kk, vv, h0))

    for scan, loop in zip(grads(True), grads(False)):
        assert (scan - loop).abs().max() < 1e-10

"""minGRU's and minLSTM's parallel path (projection, gates and blocked scan in one autograd Function, its backward
written out) gives the step-by-step path's values and gradients, the replay's states at long lengths with trained-size
gates, and leaves its saved tensors intact for a second backward; the paper's log-space scan stays available."""

import pytest
import torch

from rnnviz.cells.mingru import MinGRULayer
from rnnviz.cells.minlstm import MinLSTMLayer

LAYERS = {"mingru": MinGRULayer, "minlstm": MinLSTMLayer}


def layer(cell: str, inputs: int = 5, hidden: int = 6, scale: float = 3.0) -> torch.nn.Module:
    """A layer whose projection is ``scale`` times its initial size: gates far from one half, as training makes them."""
    torch.manual_seed(0)
    made = LAYERS[cell](inputs, hidden)
    with torch.no_grad():
        made.linear.weight.mul_(scale)
    return made


def gradients(model, x, h0, weights, **kwargs):
    """h, then dL/dx, dL/dh0 and every parameter's gradient for a loss that reads every step and the last state."""
    x, h0 = x.clone().requires_grad_(), h0.clone().requires_grad_()
    model.zero_grad()
    h, last = model(x, h0, **kwargs)
    ((h * weights).sum() + (last**2).sum()).backward()
    return [h.detach(), x.grad, h0.grad] + [p.grad.clone() for p in model.parameters()]


@pytest.mark.parametrize("cell", sorted(LAYERS))
@pytest.mark.parametrize("steps", [2, 7, 16, 37, 300])
def test_the_parallel_path_is_the_step_by_step_path_in_float64(cell, steps):
    model = layer(cell).double()
    x = torch.randn(3, steps, 5, dtype=torch.float64)
    h0, weights = torch.randn(3, 6, dtype=torch.float64), torch.randn(3, steps, 6, dtype=torch.float64)
    parallel = gradients(model, x, h0, weights)
    sequential = gradients(model, x, h0, weights, parallel=False)
    for a, b in zip(parallel, sequential):
        assert (a - b).abs().max() < 1e-10


@pytest.mark.parametrize("cell", sorted(LAYERS))
def test_the_parallel_path_agrees_with_the_replay_at_4096_steps_in_float32(cell):
    model = layer(cell, inputs=8, hidden=16, scale=4.0)
    x = torch.randn(2, 4096, 8)
    with torch.no_grad():
        parallel, _ = model(x)
        replay = model.replay(x)["h"]
    assert (parallel - replay).abs().max() <= 1e-5


@pytest.mark.parametrize("cell", sorted(LAYERS))
def test_the_log_space_scan_is_still_there_and_agrees(cell):
    model = layer(cell, scale=1.0)
    x = torch.randn(2, 300, 5)
    with torch.no_grad():
        blocked, _ = model(x)
        model.log_space = True
        log_space, _ = model(x)
    assert (blocked - log_space).abs().max() <= 1e-5


@pytest.mark.parametrize("cell", sorted(LAYERS))
def test_a_graph_kept_for_a_second_backward_gives_the_same_gradients(cell):
    model = layer(cell)
    x = torch.randn(2, 50, 5, requires_grad=True)
    h, _ = model(x)
    first = torch.autograd.grad(h.square().sum(), [x, *model.parameters()], retain_graph=True)
    second = torch.autograd.grad(h.square().sum(), [x, *model.parameters()])
    for a, b in zip(first, second):
        assert torch.equal(a, b)


@pytest.mark.parametrize("cell", sorted(LAYERS))
def test_without_a_starting_state_the_state_starts_at_zero(cell):
    model = layer(cell).double()
    x = torch.randn(2, 40, 5, dtype=torch.float64)
    zeros = torch.zeros(2, 6, dtype=torch.float64)
    with torch.no_grad():
        assert torch.equal(model(x)[0], model(x, zeros)[0])
        assert (model(x)[0] - model(x, parallel=False)[0]).abs().max() < 1e-12

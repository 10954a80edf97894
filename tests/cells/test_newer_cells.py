"""Each newer cell: its step-by-step replay (the paper's equations) matches the training path within 1e-5 in float32,
the parallel path matches the sequential one in values and gradients, a carried state continues a sequence, and
the Transformer's attention is a causal distribution."""

import pytest
import torch

from rnnviz.cells.mingru import MinGRULayer
from rnnviz.cells.minlstm import MinLSTMLayer
from rnnviz.cells.ssm import SelectiveSSMLayer
from rnnviz.cells.stack import RecurrentStack
from rnnviz.cells.transformer import CausalTransformer

LAYERS = {
    "mingru": lambda n_in, h: MinGRULayer(n_in, h),
    "minlstm": lambda n_in, h: MinLSTMLayer(n_in, h),
    "ssm": lambda n_in, h: SelectiveSSMLayer(n_in, h, state_size=4),
}


def stack(cell: str, layers: int = 2) -> RecurrentStack:
    torch.manual_seed(0)
    return RecurrentStack([LAYERS[cell](5 if i == 0 else 8, 8) for i in range(layers)]).eval()


@pytest.mark.parametrize("cell", sorted(LAYERS))
def test_replay_matches_the_parallel_training_path(cell):
    model = stack(cell)
    x = torch.randn(2, 300, 5) * 2  # (B, T, E): long enough for a float32 log-space scan to drift
    with torch.no_grad():
        trained, state = model(x)  # (B, T, H), (L, B, ...)
        replays = model.replay(x)
    assert (model.output_of(replays) - trained).abs().max() <= 1e-5
    assert state.shape[:2] == (2, 2)
    top = replays[-1]
    if cell == "ssm":
        assert top["delta"].shape == (2, 300, 8) and (top["delta"] > 0).all()  # a step size per channel
        assert (
            top["h"].shape == top["decay"].shape == (2, 300, 8, 4) and ((top["decay"] > 0) & (top["decay"] < 1)).all()
        )
        assert top["B"].shape == top["C"].shape == (2, 300, 4)
    else:
        decay = top["decay"] if cell == "mingru" else top["f_norm"]
        assert ((decay > 0) & (decay < 1)).all() and top["h"].shape == (2, 300, 8)
    if cell == "minlstm":
        assert torch.allclose(top["f_norm"] + top["i_norm"], torch.ones(()))


@pytest.mark.parametrize("cell", sorted(LAYERS))
def test_parallel_and_sequential_agree_in_values_and_gradients(cell):
    model = stack(cell)
    x = torch.randn(2, 30, 5)
    results = []
    for parallel in (True, False):
        model.parallel = parallel
        model.zero_grad()
        out, _ = model(x)
        (out * torch.linspace(-1, 1, 8)).sum().backward()
        results.append((out.detach(), [p.grad.clone() for p in model.parameters()]))
    (par, par_grads), (seq, seq_grads) = results
    assert (par - seq).abs().max() < 1e-5
    for a, b in zip(par_grads, seq_grads):
        assert (a - b).abs().max() <= 1e-5 * max(1.0, float(b.abs().max()))


@pytest.mark.parametrize("cell", sorted(LAYERS))
def test_a_carried_state_continues_the_sequence(cell):
    model = stack(cell)
    x = torch.randn(1, 20, 5)
    with torch.no_grad():
        whole, _ = model(x)
        first, state = model(x[:, :13])
        rest, _ = model(x[:, 13:], state)
        steps, state = [], None
        for t in range(20):  # generation: one token at a time
            out, state = model(x[:, t : t + 1], state)
            steps.append(out)
    assert (torch.cat([first, rest], 1) - whole).abs().max() < 1e-5
    assert (torch.cat(steps, 1) - whole).abs().max() < 1e-5


def transformer(context: int = 12, layers: int = 2) -> CausalTransformer:
    torch.manual_seed(0)
    return CausalTransformer(5, 8, num_layers=layers, num_heads=2, context_size=context).eval()


def test_attention_rows_are_causal_distributions_and_match_the_fused_kernel():
    model = transformer()
    x = torch.randn(2, 12, 5)
    with torch.no_grad():
        replay = model.replay(x)
        fused = model.window(x)
    assert (replay["out"] - fused).abs().max() <= 1e-5
    assert len(replay["attention"]) == 2
    for weights in replay["attention"]:  # (B, heads, T, T)
        assert weights.shape == (2, 2, 12, 12)
        assert torch.allclose(weights.sum(-1), torch.ones(2, 2, 12))
        assert (weights.triu(1) == 0).all()  # nothing from the future
    with pytest.raises(ValueError, match="at most 12"):
        model.replay(torch.randn(1, 13, 5))


def test_a_future_token_changes_nothing_before_it():
    model = transformer()
    x = torch.randn(1, 10, 5)
    y = x.clone()
    y[0, 7] += 3.0
    with torch.no_grad():
        a, b = model.window(x), model.window(y)
    assert (a[:, :7] - b[:, :7]).abs().max() < 1e-6 and (a[:, 7:] - b[:, 7:]).abs().max() > 1e-3


def test_generation_crops_to_the_window_and_a_long_chunk_is_read_in_strides():
    model = transformer(context=8, layers=1)
    x = torch.randn(1, 20, 5)
    with torch.no_grad():
        out, past = model(x[:, :5])
        assert past.shape == (1, 5, 5)
        for t in range(5, 20):  # one token at a time: nanoGPT's crop, the window's last 8 inputs
            step, past = model(x[:, t : t + 1], past)
            assert past.shape[1] == min(t + 1, 7)
            assert (step[0, -1] - model.window(x[:, max(0, t - 7) : t + 1])[0, -1]).abs().max() < 1e-5
        strided, _ = model(x)  # T > window: strides of 4, each with the 4 before it
    assert strided.shape == (1, 20, 8)
    assert (strided[:, :4] - model.window(x[:, :4])).abs().max() < 1e-5
    assert (strided[:, 4:8] - model.window(x[:, :8])[:, 4:8]).abs().max() < 1e-5
    assert (strided[:, 16:20] - model.window(x[:, 12:20])[:, 4:8]).abs().max() < 1e-5

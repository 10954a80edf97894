"""The trace of a newer cell comes from its step-by-step replay, checked against its training path on every call."""

import pytest
import torch

from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.introspect import trace_ids, trace_text


@pytest.mark.parametrize("cell", ["mingru", "minlstm", "ssm"])
def test_a_recurrent_newer_cell_is_traced_exactly(cell):
    model = build_model(ModelConfig(vocab_size=12, cell=cell, hidden_size=10, num_layers=2, embed_size=6, state_size=3))
    trace = trace_ids(model, torch.randint(0, 12, (200,), generator=torch.Generator().manual_seed(0)))
    assert trace.exact and trace.max_abs_diff <= 1e-5 and trace.cell == cell
    assert len(trace.layers) == 2 and trace.layers[0].h.shape == (200, 10)
    gates = trace.layers[-1].gates
    if cell == "ssm":
        assert {"delta", "y", "gate"} == set(gates) and trace.layers[0].states["state"].shape == (200, 10, 3)
        assert trace.layers[0].states["B"].shape == (200, 3)
    else:
        assert "h_tilde" in gates and ("decay" in gates or "f_norm" in gates)
    assert torch.allclose(trace.probs.sum(-1), torch.ones(200))


def test_the_transformer_trace_is_its_attention(tiny_data):
    model = build_model(
        ModelConfig(vocab_size=tiny_data.vocab.size, cell="transformer", hidden_size=8, num_layers=2, context_size=64)
    )
    trace = trace_text(model, tiny_data.vocab, 'She said "hello"')
    assert trace.exact and len(trace.layers) == 2
    weights = trace.layers[1].attention  # (heads, T, T)
    assert weights.shape == (4, 16, 16) and torch.allclose(weights.sum(-1), torch.ones(4, 16))
    assert (weights.triu(1) == 0).all()
    with pytest.raises(ValueError, match="at most 64"):
        trace_text(model, tiny_data.vocab, "x" * 65)

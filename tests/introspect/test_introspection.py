import math

import numpy as np
import pytest
import torch
from helpers import TINY_TEXT

from rnnviz.charlm.model import CharRNN, ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.charlm.vocab import CharVocab
from rnnviz.introspect import trace_text
from rnnviz.introspect.gradients import (
    fit_decay_rate,
    gradient_flow,
    gradient_flow_autograd,
    recurrent_spectra,
)
from rnnviz.introspect.saturation import gate_saturation
from rnnviz.introspect.trace import trace_ids

VOCAB = CharVocab.from_text(TINY_TEXT)
TEXT = TINY_TEXT[:120]
CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]


def model_for(cell, nonlinearity="tanh", layers=1, hidden=24, seed=0):
    config = ModelConfig(
        vocab_size=VOCAB.size,
        cell=cell,
        hidden_size=hidden,
        num_layers=layers,
        embed_size=10,
        nonlinearity=nonlinearity,
    )
    model = build_model(config, seed=seed)
    with torch.no_grad():  # larger weights than the default make saturation and mixing visible
        for name, p in model.rnn.named_parameters():
            if name.startswith("weight"):
                p.mul_(2.0)
    return model


@pytest.mark.parametrize("cell, nonlinearity", CELLS)
@pytest.mark.parametrize("layers", [1, 2, 3])
@pytest.mark.parametrize("method", ["batched", "sequential"])
def test_replay_equals_fused(cell, nonlinearity, layers, method):
    model = model_for(cell, nonlinearity, layers)
    trace = trace_text(model, VOCAB, TEXT, method=method)
    x = model.embed(VOCAB.encode(TEXT)[None])
    with torch.no_grad():
        fused, _ = model.rnn(x)
    replayed = trace.layers[-1].h
    assert float((replayed - fused[0]).abs().max()) <= 1e-5
    assert trace.exact and trace.max_abs_diff <= 1e-5
    assert len(trace.layers) == layers
    for layer in trace.layers:
        assert layer.h.shape == (len(TEXT), 24)
        assert (layer.c is not None) == (cell == "lstm")
        expected_gates = {"rnn": {"pre"}, "lstm": set("ifgo"), "gru": set("rzn")}[cell]
        assert set(layer.gates) == expected_gates
    assert trace.probs.shape == (len(TEXT), VOCAB.size)
    assert torch.allclose(trace.probs.sum(-1), torch.ones(len(TEXT)))
    assert trace.loss_per_char.shape == (len(TEXT) - 1,)


def test_batched_and_sequential_agree_on_gates():
    model = model_for("lstm", layers=2)
    a = trace_text(model, VOCAB, TEXT, "batched")
    b = trace_text(model, VOCAB, TEXT, "sequential")
    for la, lb in zip(a.layers, b.layers):
        for gate in "ifgo":
            assert torch.allclose(la.gates[gate], lb.gates[gate], atol=1e-5)
        assert torch.allclose(la.c, lb.c, atol=1e-5)


def test_unknown_characters_are_reported_and_skipped():
    trace = trace_text(model_for("gru"), VOCAB, "sa\u00efd \u4e2d hello")
    assert trace.skipped == ["\u00ef", "\u4e2d"]
    assert trace.text == "sad  hello"
    with pytest.raises(ValueError, match="empty"):
        trace_text(model_for("gru"), VOCAB, "\u4e2d\u4e2d")


def _one_unit(cell):
    vocab = CharVocab("ab")
    model = CharRNN(ModelConfig(vocab_size=2, cell=cell, hidden_size=1, embed_size=1))
    with torch.no_grad():
        model.embed.weight.copy_(torch.tensor([[0.5], [-1.0]]))
        gates = {"lstm": 4, "gru": 3}[cell]
        model.rnn.weight_ih_l0.copy_(torch.tensor([[0.1 * (k + 1)] for k in range(gates)]))
        model.rnn.weight_hh_l0.copy_(torch.tensor([[0.3 - 0.2 * k] for k in range(gates)]))
        model.rnn.bias_ih_l0.copy_(torch.tensor([0.05 * k for k in range(gates)]))
        model.rnn.bias_hh_l0.copy_(torch.tensor([-0.02 * k for k in range(gates)]))
    return model, vocab


def sig(v):
    return 1 / (1 + math.exp(-v))


def test_hand_computed_lstm_steps():
    model, vocab = _one_unit("lstm")
    trace = trace_text(model, vocab, "ab")
    # step 1: x = 0.5, h = c = 0; pre-activation k = w_ih[k] x + b_ih[k] + b_hh[k]
    pre = [0.1 * (k + 1) * 0.5 + 0.05 * k - 0.02 * k for k in range(4)]
    i, f, g, o = sig(pre[0]), sig(pre[1]), math.tanh(pre[2]), sig(pre[3])
    c1 = i * g
    h1 = o * math.tanh(c1)
    layer = trace.layers[0]
    assert layer.gates["i"][0, 0].item() == pytest.approx(i, abs=1e-6)
    assert layer.gates["f"][0, 0].item() == pytest.approx(f, abs=1e-6)
    assert layer.c[0, 0].item() == pytest.approx(c1, abs=1e-6)
    assert layer.h[0, 0].item() == pytest.approx(h1, abs=1e-6)
    # step 2: x = -1.0, previous h1, c1
    pre = [0.1 * (k + 1) * -1.0 + 0.05 * k + (0.3 - 0.2 * k) * h1 - 0.02 * k for k in range(4)]
    i, f, g, o = sig(pre[0]), sig(pre[1]), math.tanh(pre[2]), sig(pre[3])
    c2 = f * c1 + i * g
    assert layer.c[1, 0].item() == pytest.approx(c2, abs=1e-6)
    assert layer.h[1, 0].item() == pytest.approx(o * math.tanh(c2), abs=1e-6)


def test_hand_computed_gru_steps():
    model, vocab = _one_unit("gru")
    trace = trace_text(model, vocab, "ab")
    h = 0.0
    for t, x in enumerate((0.5, -1.0)):
        xw = [0.1 * (k + 1) * x + 0.05 * k for k in range(3)]
        hw = [(0.3 - 0.2 * k) * h - 0.02 * k for k in range(3)]
        r, z = sig(xw[0] + hw[0]), sig(xw[1] + hw[1])
        n = math.tanh(xw[2] + r * hw[2])
        h = (1 - z) * n + z * h
        layer = trace.layers[0]
        assert layer.gates["r"][t, 0].item() == pytest.approx(r, abs=1e-6)
        assert layer.gates["z"][t, 0].item() == pytest.approx(z, abs=1e-6)
        assert layer.gates["n"][t, 0].item() == pytest.approx(n, abs=1e-6)
        assert layer.h[t, 0].item() == pytest.approx(h, abs=1e-6)


@pytest.mark.parametrize("cell, nonlinearity", CELLS)
@pytest.mark.parametrize("layers", [1, 2])
def test_hand_written_bptt_equals_autograd(cell, nonlinearity, layers):
    model = model_for(cell, nonlinearity, layers, hidden=16)
    ids = VOCAB.encode(TEXT[:60])
    fast = gradient_flow(model, ids, target_step=30)
    slow = gradient_flow_autograd(model, ids, target_step=30)
    for a, b in ((fast.last_loss_norms, slow.last_loss_norms), (fast.total_loss_norms, slow.total_loss_norms)):
        assert torch.allclose(torch.tensor(a), torch.tensor(b), rtol=1e-4, atol=1e-9)
    assert torch.allclose(torch.tensor(fast.connectivity), torch.tensor(slow.connectivity), rtol=1e-4, atol=1e-9)
    assert all(v == 0 for v in fast.connectivity[31:])  # no path from the future to step 30


def test_scaled_identity_rnn_decays_at_its_scale():
    """Near-linear tanh RNN with W_hh = 0.8 I: dh_T/dh_t = 0.8^(T-t), so the norm ratio is 0.8."""
    scale = 0.8
    model = CharRNN(ModelConfig(vocab_size=VOCAB.size, cell="rnn", hidden_size=8, embed_size=4))
    with torch.no_grad():
        model.embed.weight.mul_(1e-4)
        model.rnn.weight_hh_l0.copy_(scale * torch.eye(8))
        model.rnn.bias_ih_l0.zero_()
        model.rnn.bias_hh_l0.zero_()
    flow = gradient_flow(model, VOCAB.encode(TEXT[:41]))
    by_distance = list(reversed(flow.last_loss_norms[0]))  # distance 0 = the loss's own step
    ratios = [by_distance[d + 1] / by_distance[d] for d in range(30)]
    assert all(r == pytest.approx(scale, rel=1e-3) for r in ratios)
    assert fit_decay_rate(by_distance) == pytest.approx(scale, rel=1e-3)
    assert by_distance[5] / by_distance[0] == pytest.approx(scale**5, rel=1e-3)


def test_recurrent_spectra():
    model = CharRNN(ModelConfig(vocab_size=VOCAB.size, cell="gru", hidden_size=6))
    with torch.no_grad():
        model.rnn.weight_hh_l0[12:18] = 0.5 * torch.eye(6)
    spectra = recurrent_spectra(model)
    assert set(spectra[0]) == {"r", "z", "n"}
    assert spectra[0]["n"]["spectral_radius"] == pytest.approx(0.5)
    assert spectra[0]["n"]["singular_values"] == pytest.approx([0.5] * 6)


def test_gate_saturation_fractions():
    model = model_for("lstm", hidden=8)
    with torch.no_grad():
        model.rnn.bias_ih_l0[8:16] = 20.0  # forget gate pinned open
        model.rnn.bias_ih_l0[0:8] = -20.0  # input gate pinned shut
    sat = gate_saturation(trace_text(model, VOCAB, TEXT))
    assert sat[0]["f"]["right"] == pytest.approx([1.0] * 8)
    assert sat[0]["i"]["left"] == pytest.approx([1.0] * 8)
    assert all(0 <= v <= 1 for v in sat[0]["o"]["left"])
    rnn_sat = gate_saturation(trace_text(model_for("rnn"), VOCAB, TEXT))
    assert set(rnn_sat[0]) == {"h"}


def test_trace_ids_has_no_text():
    trace = trace_ids(model_for("rnn"), VOCAB.encode("abd"))
    assert trace.text == "" and trace.layers[0].h.shape[0] == 3


def test_chart_data_is_plain_and_in_the_heatmaps_order():
    """The charts get numpy arrays: every series of a layer (gates, then c, then h) and the PCA of h."""
    from rnnviz.introspect.chart_data import layer_series, pca_projection

    lstm = trace_text(model_for("lstm", layers=2), VOCAB, TEXT)
    series = layer_series(lstm, 1)
    assert list(series) == ["i", "f", "g", "o", "c", "h"]
    assert all(isinstance(v, np.ndarray) and v.shape == (len(TEXT), 24) for v in series.values())
    assert np.array_equal(series["h"], lstm.layers[1].h.numpy())
    assert list(layer_series(trace_text(model_for("gru"), VOCAB, TEXT), 0)) == ["r", "z", "n", "h"]
    points, explained = pca_projection(lstm, 0, 3)
    assert isinstance(points, np.ndarray) and points.shape == (len(TEXT), 3)
    assert explained == sorted(explained, reverse=True) and 0 < sum(explained) <= 1 + 1e-9
    assert np.allclose(points.mean(axis=0), 0, atol=1e-9)  # centred: the projection of h minus its mean
    short, shares = pca_projection(trace_text(model_for("rnn"), VOCAB, "ab"), 0, 3)  # 2 steps cannot give 3 axes
    assert short.shape == (2, 3) and not short.any() and len(shares) == 2

"""The newer cells' charts on hand-written data: the selective SSM's step size per token, a Transformer's attention
per head (numpy arrays and lists in, figures out; no model, no torch)."""

import numpy as np

from rnnviz.charts.newer_cells import attention_heads_chart, step_size_chart
from rnnviz.charts.trace import gate_heatmaps, gate_title
from rnnviz.i18n import use_language

LABELS = ["a", " ", "\n", "b"]


def test_the_step_size_chart_draws_the_mean_between_its_range_and_every_channel():
    delta = np.array([[0.1, 0.3], [0.5, 0.5], [0.0, 2.0], [1.0, 3.0]])  # (T, D)
    fig = step_size_chart(LABELS, delta)
    low, high, mean, heatmap = fig.data
    assert list(low.y) == [0.1, 0.5, 0.0, 1.0] and list(high.y) == [0.3, 0.5, 2.0, 3.0]
    assert list(mean.y) == [0.2, 0.5, 1.0, 2.0] and high.fill == "tonexty"
    assert np.allclose(heatmap.z, delta.T) and list(heatmap.y) == ["0", "1"] and heatmap.zmin == 0
    assert list(heatmap.x) == ["step 0, 'a'", "step 1, '␣'", "step 2, '⏎'", "step 3, 'b'"]
    assert list(fig.layout.xaxis2.ticktext) == ["a", "␣", "⏎", "b"]
    only = step_size_chart(LABELS, delta, channels=[1])
    assert np.allclose(only.data[3].z, [delta[:, 1]]) and list(only.data[2].y) == list(mean.y)  # the mean of all


def test_the_attention_chart_draws_one_causal_heatmap_per_head():
    steps = len(LABELS)
    causal = np.tril(np.ones((steps, steps)))
    weights = np.stack([causal / causal.sum(axis=1, keepdims=True), np.eye(steps)])  # (heads, T, T)
    fig = attention_heads_chart(LABELS, weights, layer=1)
    assert [trace.type for trace in fig.data] == ["heatmap", "heatmap"]
    first, second = fig.data
    assert np.allclose(first.z, weights[0], atol=5e-4) and np.allclose(second.z, np.eye(steps))
    assert np.allclose(np.asarray(first.z).sum(axis=1), 1, atol=2e-3)
    assert first.zmin == 0 and first.zmax == 1 and first.showscale and not second.showscale
    assert list(first.x) == list(first.y) and fig.layout.yaxis.autorange == "reversed"  # token 0 at the top
    assert "block 1" in fig.layout.title.text and [a.text for a in fig.layout.annotations][:2] == ["head 0", "head 1"]
    four = attention_heads_chart(LABELS, np.stack([weights[0]] * 4), layer=0)
    assert len(four.data) == 4 and four.layout.height > fig.layout.height  # two rows of two
    with use_language("zh"):
        assert "注意力机制" in attention_heads_chart(LABELS, weights, layer=0).layout.title.text


def test_the_newer_gates_have_titles_and_their_own_scales():
    series = {name: np.full((len(LABELS), 2), 2.0) for name in ("z", "decay", "h_tilde", "delta", "gate")}
    z, decay, h_tilde, delta, gate = gate_heatmaps(series, LABELS, [0, 1]).data
    assert (z.zmin, z.zmax) == (0, 1) and (decay.zmin, decay.zmax) == (0, 1)  # gates and decays: in [0, 1]
    assert h_tilde.zmid == 0 and gate.zmid == 0  # the candidate and silu(z) are signed
    assert delta.zmin == 0 and delta.zmax is None  # a step size is positive and unbounded
    assert gate_title("delta") == "step size Δ" and gate_title("f_norm") == "normalised forget gate f'"

"""The trace charts on hand-written data: numpy arrays and lists in, figures out (no model, no torch)."""

import numpy as np
import pytest

from rnnviz.charts.trace import (
    activation_html,
    display_char,
    gate_heatmaps,
    loss_per_char_chart,
    pca_trajectory,
    saturation_scatter,
)

LABELS = ["a", " ", "\n", "b"]


def test_gate_heatmaps_stack_each_series_units_by_time():
    steps, hidden = len(LABELS), 5
    series = {
        "f": np.linspace(0, 1, steps * hidden, dtype=np.float32).reshape(steps, hidden),
        "h": -np.ones((steps, hidden), dtype=np.float32),
    }
    fig = gate_heatmaps(series, LABELS, [1, 3])
    f, h = fig.data
    assert np.array_equal(f.z, series["f"][:, [1, 3]].T) and f.z.dtype == np.float32  # (units, T), the dtype kept
    assert list(f.y) == ["1", "3"] and list(f.x) == [0, 1, 2, 3]
    assert f.zmin == 0 and f.zmax == 1 and f.zmid is None  # a gate is in [0, 1]
    assert h.zmid == 0 and h.zmin is None  # a state is signed
    assert [list(row) for row in f.customdata] == [["a", "␣", "⏎", "b"]] * 2
    assert list(fig.layout.xaxis2.ticktext) == ["a", "␣", "⏎", "b"]  # the bottom panel names the tokens


def test_pca_trajectory_draws_2d_and_3d_points():
    points = [[0.0, 1.0], [1.0, 0.0], [2.0, -1.0], [3.0, -2.0]]
    fig = pca_trajectory(points, [0.75, 0.25], LABELS)
    (scatter,) = fig.data
    assert scatter.type == "scatter" and list(scatter.x) == [0.0, 1.0, 2.0, 3.0] and list(scatter.y) == [1, 0, -1, -2]
    assert list(scatter.text) == ["a", "␣", "⏎", "b"] and list(scatter.marker.color) == [0, 1, 2, 3]
    assert fig.layout.xaxis.title.text == "PC1 (75%)" and fig.layout.yaxis.title.text == "PC2 (25%)"
    three = pca_trajectory(np.arange(12.0).reshape(4, 3), [0.5, 0.3, 0.2], LABELS).data[0]
    assert three.type == "scatter3d" and list(three.z) == [2.0, 5.0, 8.0, 11.0]
    with pytest.raises(ValueError, match="steps, dimensions"):
        pca_trajectory([1.0, 2.0], [1.0], LABELS[:2])


def test_saturation_scatter_has_a_trace_per_gate():
    saturation = [{"f": {"left": [0.0, 0.5], "right": [1.0, 0.25]}, "i": {"left": [1.0, 0.0], "right": [0.0, 0.0]}}]
    fig = saturation_scatter(saturation, 0)
    assert len(fig.data) == 2 and list(fig.data[0].x) == [0.0, 0.5] and list(fig.data[0].y) == [1.0, 0.25]


def test_activation_html_colours_each_token():
    html = activation_html("a<b", [1.0, -1.0, 0.0])
    assert "&lt;" in html and "rgb(255,0,0)" in html and "rgb(0,0,255)" in html
    words = activation_html(["The", " cat"], [0.5, 2.0], "unit 3")  # a word's space stays uncoloured; values clip
    assert "unit 3" in words and '&nbsp;<span title="+1.000"' in words


def test_loss_per_char_chart_shares_a_cursor():
    fig = loss_per_char_chart({"LSTM": [1.0, 2.0], "GRU": [1.5, 0.5]}, "abc", cursor=1)
    assert [trace.name for trace in fig.data] == ["LSTM", "GRU"] and list(fig.data[0].x) == [1, 2]
    assert list(fig.data[0].customdata) == ["b", "c"] and fig.layout.shapes[0].x0 == 1
    assert display_char(" word") == "word" and display_char("\ufffd") == "<unk>"

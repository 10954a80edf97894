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
    assert np.allclose(f.z, series["f"][:, [1, 3]].T, atol=5e-4)  # (units, T), to the hover's three decimals
    assert list(f.y) == ["1", "3"] and list(f.x) == ["step 0, 'a'", "step 1, '␣'", "step 2, '⏎'", "step 3, 'b'"]
    assert f.customdata is None and fig.layout.xaxis.type == "category"  # a step's label, not a text per cell
    assert f.zmin == 0 and f.zmax == 1 and f.zmid is None  # a gate is in [0, 1]
    assert h.zmid == 0 and h.zmin is None  # a state is signed
    assert list(fig.layout.xaxis2.ticktext) == ["a", "␣", "⏎", "b"]  # the bottom panel names the tokens
    assert fig.layout.meta == {"mode": "heatmap", "bin": 1}


def test_gate_heatmaps_of_many_values_are_pictures_binned_in_time():
    import base64
    import io

    from PIL import Image

    steps, hidden = 40, 6
    series = {
        "f": np.linspace(0, 1, steps * hidden, dtype=np.float32).reshape(steps, hidden),
        "h": np.tile(np.linspace(-2, 2, steps, dtype=np.float32)[:, None], (1, hidden)),
    }
    labels = ["x"] * steps
    pictures = gate_heatmaps(series, labels, [0, 1, 2], hover_values=100)
    assert pictures.layout.meta == {"mode": "image", "bin": 1}
    f, key, h = pictures.data  # each panel a picture; the first carries the colours' key
    assert f.type == "image" and h.type == "image" and key.marker.showscale and key.marker.cmax == 1
    png = Image.open(io.BytesIO(base64.b64decode(f.source.split(",", 1)[1])))
    assert png.size == (steps, 3) and png.mode == "P"  # one column a token, one row a unit
    assert (f.x0, f.dx, f.y0, f.dy) == (0, 1, 0, 1)
    binned = gate_heatmaps(series, labels, [0, 1, 2], hover_values=100, image_values=60)
    assert binned.layout.meta == {"mode": "image", "bin": 4}  # 240 values: 4 tokens a column
    picture = Image.open(io.BytesIO(base64.b64decode(binned.data[2].source.split(",", 1)[1])))
    assert picture.size == (10, 3) and binned.data[2].dx == 4
    row = [picture.getpalette()[3 * i : 3 * i + 3] for i in np.asarray(picture)[0]]
    assert row[0][2] > row[0][0] and row[-1][0] > row[-1][2]  # a signed state: blue where low, red where high


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

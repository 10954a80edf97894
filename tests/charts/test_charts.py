import math

import pytest

from rnnviz.charts.training import downsample, grad_norm_chart, loss_chart


def run(n: int, diverged: str | None = None) -> dict:
    losses = [3.0 - i / n for i in range(n)]
    if diverged:
        losses[-1] = math.nan
    return {
        "name": "LSTM",
        "steps": list(range(1, n + 1)),
        "losses": losses,
        "grad_norms": [1.0] * n,
        "val_steps": [n // 2, n],
        "val_losses": [2.5, 2.2],
        "diverged": diverged,
    }


def test_downsample_keeps_the_ends_and_caps_the_points():
    xs, ys = downsample(list(range(5000)), list(range(5000)), max_points=400)
    assert len(xs) <= 401 and xs[0] == 0 and xs[-1] == 4999 and xs == ys
    assert downsample([1, 2, 3], [4, 5, 6]) == ([1, 2, 3], [4, 5, 6])


def test_live_charts_stay_small_with_a_long_history():
    fig = loss_chart([run(5000)], {"uniform": 4.17, "bigram": 2.49}, bits=True)
    train = fig.data[0]
    assert len(train.x) <= 401 and train.x[-1] == 5000
    assert abs(fig.data[1].y[-1] - 2.2 / math.log(2)) < 1e-9  # validation in bits per char
    assert [a.text for a in fig.layout.annotations] == ["uniform 6.02", "bigram 3.59"]
    assert len(grad_norm_chart([run(5000)], clip_norm=1.0).data[0].x) <= 401


def test_a_diverged_run_is_annotated():
    fig = loss_chart([run(50, diverged="diverged at step 50")])
    assert any("diverged" in a.text for a in fig.layout.annotations)
    assert math.isnan(fig.data[0].y[-1])  # the non-finite tail is a gap, not a crash


def test_downloaded_html_charts_fetch_nothing():
    import re

    import plotly.graph_objects as go

    from rnnviz.charts.export import standalone_html

    html = standalone_html(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    assert not re.search(r"<script[^>]+src=", html)  # no script loaded from anywhere: plotly.js is inline
    assert not re.search(r"<link[^>]+href=[\"']https?://", html)
    assert "plotly.js" in html.lower() and len(html) > 1_000_000  # the library itself travels in the file


def test_lines_on_log_axes_sit_at_their_value():
    """Plotly places a shape on a log axis by its value and an annotation by log10 of it (seen in Chromium)."""
    import math

    runs = [{"name": "RNN (tanh)", "steps": [1, 2, 3], "grad_norms": [1.0, 10.0, 1000.0]}]
    fig = grad_norm_chart(runs, clip_norm=100.0)
    assert fig.layout.shapes[0].y0 == 100.0 and fig.layout.annotations[0].y == math.log10(100.0)


def test_the_loss_chart_goes_logarithmic_for_an_exploded_run():
    calm = {"name": "LSTM", "steps": [1, 2], "losses": [2.0, 1.9], "val_steps": [], "val_losses": []}
    exploded = {"name": "RNN (relu)", "steps": [1, 2], "losses": [2.0, 1e30], "val_steps": [], "val_losses": []}
    assert loss_chart([calm], {"unigram": 3.3}).layout.yaxis.type == "linear"
    fig = loss_chart([calm, exploded], {"unigram": 3.3})
    assert fig.layout.yaxis.type == "log" and fig.layout.annotations[0].y == pytest.approx(math.log10(3.3))

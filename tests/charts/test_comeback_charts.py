"""The comeback lesson's figures on hand-written data: a bar per cell and mode with its ratio to the GRU, the loop
hatched; the scan's difference from the loop at each step beside float32's rounding of the largest state."""

import pytest

from rnnviz.charts.comeback import ROUNDING, scan_agreement_chart, speed_bar_chart
from rnnviz.charts.describe import summary
from rnnviz.i18n import use_language


def row(cell, label, mode, tokens_per_s, ratio):
    return {
        "cell": cell,
        "label": label,
        "mode": mode,
        "seq_len": 1024,
        "tokens_per_s": tokens_per_s,
        "ratio_to_gru": ratio,
        "device": "CPU (1 threads)",
    }


ROWS = [
    row("lstm", "LSTM", "fused", 48000.0, 5.0),
    row("gru", "GRU", "fused", 9600.0, 1.0),
    row("mingru", "minGRU", "parallel", 4500.0, 0.47),
    row("mingru", "minGRU", "sequential", 18000.0, 1.88),
]


def test_one_bar_per_cell_and_mode_with_its_ratio_and_the_loop_hatched():
    (bars,) = speed_bar_chart(ROWS).data
    assert list(bars.y) == ["LSTM", "GRU", "minGRU (parallel scan)", "minGRU (step by step)"]
    assert list(bars.x) == [48000.0, 9600.0, 4500.0, 18000.0]
    assert list(bars.text) == ["5.00x the GRU", "1.00x the GRU", "0.47x the GRU", "1.88x the GRU"]
    assert list(bars.marker.pattern.shape) == ["", "", "", "/"]
    assert len(set(bars.marker.color)) == 3  # the cells' own colours; minGRU's two ways share one
    assert "T = 1,024" in speed_bar_chart(ROWS).layout.title.text
    assert "minGRU (parallel scan) 4500" in summary(speed_bar_chart(ROWS)).replace(",", "")
    with use_language("zh"):
        assert "GRU 的 0.47 倍" in speed_bar_chart(ROWS).data[0].text


def test_an_empty_race_draws_no_bars():
    assert list(speed_bar_chart([]).data[0].x) == []


def test_the_scan_agreement_chart_marks_float32_rounding_of_the_largest_state():
    figure = scan_agreement_chart([1e-7, 3e-7, 2e-7], 2.0)
    (line,) = figure.data
    assert list(line.x) == [1, 2, 3] and list(line.y) == [1e-7, 3e-7, 2e-7]
    (hline,) = figure.layout.shapes
    assert hline.y0 == pytest.approx(2.0 * ROUNDING)
    assert "1.2e-07" in figure.layout.annotations[0].text

"""The gradient-decay chart says where a line ends because float32 ran out, not because the measurement did."""

from __future__ import annotations

import math

from rnnviz.charts import describe
from rnnviz.charts.gradients import float32_zero_from, gradient_decay_chart


def test_the_distance_from_which_the_norm_is_exactly_zero():
    assert float32_zero_from([1.0, 1e-30, 0.0, 0.0]) == 2
    assert float32_zero_from([1.0, 0.5, 0.25]) is None  # never underflows
    assert float32_zero_from([1.0, 0.0, 1e-3]) is None  # a zero in the middle is not the end
    assert float32_zero_from([0.0, 0.0]) is None  # nothing measured above zero
    assert float32_zero_from([1.0, float("nan"), 0.0]) is None  # an exploded run is another story


def test_an_underflowed_line_is_marked_where_it_stops_and_the_summary_says_so():
    figure = gradient_decay_chart({"RNN (tanh)": [1.0, 1e-10, 1e-20, 0.0, 0.0], "LSTM": [1.0, 0.9, 0.8, 0.7, 0.6]})
    (mark,) = figure.layout.annotations
    assert mark.x == 2 and math.isclose(mark.y, -20)  # the last point drawn, on the log axis's exponent
    assert "RNN (tanh)" in mark.text and "3" in mark.text and "float32" in mark.text
    assert "float32" in describe.summary(figure)
    assert not gradient_decay_chart({"LSTM": [1.0, 0.9]}).layout.annotations


def test_two_lines_that_underflow_get_labels_apart_in_the_ink_of_the_text():
    from rnnviz.charts.styles import INK, readable_text

    figure = gradient_decay_chart({"RNN (tanh)": [1.0, 1e-20, 0.0], "RNN (relu)": [1.0, 1e-25, 0.0]})
    readable_text(figure)  # as show_chart draws it
    first, second = figure.layout.annotations
    assert first.x == second.x and first.ay != second.ay  # the same point: one label above the other
    assert first.font.color == second.font.color == INK

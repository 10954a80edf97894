import pytest

from rnnviz.charts.classroom import BAR, RIGHT, answer_shares, class_answers_chart


def test_the_bars_are_the_shares_of_the_class_and_the_right_one_is_marked_without_colour_alone():
    figure = class_answers_chart(["x0.9", "x0.5", "x1.0"], [2, 6, 0], right=1)
    bar = figure.data[0]
    assert list(bar.x) == [25.0, 75.0, 0.0]
    assert list(bar.y) == ["x0.9", "✓ x0.5", "x1.0"]
    assert list(bar.marker.color) == [BAR, RIGHT, BAR]
    assert list(bar.marker.pattern.shape) == ["", "/", ""]
    assert "6" in bar.text[1] and "75%" in bar.text[1]
    assert "8" in figure.layout.xaxis.title.text


def test_before_the_reveal_nothing_is_marked_and_an_empty_class_draws_zeros():
    figure = class_answers_chart(["a", "b"], [0, 0])
    assert list(figure.data[0].x) == [0.0, 0.0]
    assert not any(label.startswith("✓") for label in figure.data[0].y)
    assert answer_shares([]) == []


def test_options_and_counts_must_match():
    with pytest.raises(ValueError):
        class_answers_chart(["a", "b"], [1])

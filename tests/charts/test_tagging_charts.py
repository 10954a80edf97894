"""The Tag page's figures from plain data."""

from __future__ import annotations

from rnnviz.charts.tagging import direction_chart, entity_html, f1_chart, tag_probability_heatmap
from rnnviz.tagging.bio import TAGS


def test_f1_chart_has_a_line_per_variant_and_the_baseline():
    runs = [
        {"name": "LSTM", "steps": [10, 20], "f1": [0.2, 0.4]},
        {"name": "BiLSTM", "steps": [10, 20], "f1": [0.3, 0.6]},
    ]
    figure = f1_chart(runs, baseline_f1=0.1)
    assert [trace.name for trace in figure.data] == ["LSTM", "BiLSTM"]
    assert figure.layout.shapes[0].y0 == 0.1 and "0.10" in figure.layout.annotations[0].text


def test_entities_are_highlighted_and_the_text_is_escaped():
    html = entity_html(
        "<b>江泽民在北京", [{"kind": "LOC", "start": 7, "end": 9}, {"kind": "PER", "start": 3, "end": 6}]
    )
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.index("江泽民") < html.index("北京") and html.count("<sub") == 2 and "> PER</sub>" in html


def test_probability_heatmap_and_direction_bars():
    probabilities = [[1.0] + [0.0] * (len(TAGS) - 1), [0.0, 1.0] + [0.0] * (len(TAGS) - 2)]
    heatmap = tag_probability_heatmap("江泽", probabilities)
    assert list(heatmap.data[0].y) == list(TAGS) and heatmap.data[0].z[1][1] == 1.0  # row B-PER, column 1
    assert list(heatmap.layout.xaxis.ticktext) == ["江", "泽"]
    bars = direction_chart("江泽", ["B-PER", "I-PER"], [0.5, 1.0], [2.0, -0.5])
    assert bars.data[0].customdata[1] == "1: 泽 -> I-PER"
    assert [trace.name.split(":")[0] for trace in bars.data] == ["forward", "backward"]
    assert list(bars.data[1].y) == [2.0, -0.5]


def test_character_tokens_are_coloured_without_spaces_between_them():
    from rnnviz.charts.classify import word_colours_html

    assert "</span> <span" in word_colours_html(["not", "good"], [-1.0, 1.0])
    assert "</span><span" in word_colours_html(["n", "o"], [-1.0, 1.0], separator="")

"""The intervention chart from plain numbers: two runs' probability of one next token, the clamp's start marked."""

from rnnviz.charts import describe
from rnnviz.charts.intervention import intervention_chart
from rnnviz.i18n import use_language


def test_two_lines_over_the_text_with_the_clamp_marked_and_described():
    fig = intervention_chart(["a", " ", '"', "\n"], [0.1, 0.2, 0.8, 0.5], [0.1, 0.2, 0.3, 0.4], '"', "h[3] = 0", 2)
    untouched, clamped = fig.data
    assert (untouched.name, clamped.name) == ("untouched", "clamped: h[3] = 0")
    assert list(untouched.x) == [0, 1, 2, 3] and list(clamped.y) == [0.1, 0.2, 0.3, 0.4]
    assert list(untouched.customdata) == ["a", "␣", '"', "⏎"]  # whitespace made visible in the hover
    assert fig.layout.shapes[0].x0 == 1.5  # the line falls between the last untouched step and the first clamped
    summary = describe.summary(fig)
    assert summary.startswith('Probability that " comes next') and "clamped from here" in summary
    assert {row["series"] for row in describe.table(fig)} == {"untouched", "clamped: h[3] = 0"}
    with use_language("zh"):
        assert intervention_chart(["a"], [0.5], [0.5], "a", "h[0] = 0", 0).data[0].name == "不动"

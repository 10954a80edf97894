"""The Attention page's charts name a variant by its human name and keep one style for it in every chart."""

from rnnviz.charts.attention import VARIANT_STYLES, accuracy_chart, attention_heatmap, loss_chart, variant_name
from rnnviz.i18n import use_language

RUNS = [
    {"name": "luong-dot", "steps": [0, 10], "values": [0.1, 0.5]},
    {"name": "none", "steps": [0, 10], "values": [0.0, 0.2]},
]


def test_a_variant_keeps_its_name_and_style_across_charts_and_selections():
    accuracy, loss = accuracy_chart(RUNS), loss_chart(RUNS)
    assert [t.name for t in accuracy.data] == ["Luong (dot)", "No attention"] == [t.name for t in loss.data]
    assert [t.line.color for t in accuracy.data] == [t.line.color for t in loss.data]
    alone = accuracy_chart(RUNS[1:])  # the baseline alone, first in its list: still its own grey, not a position's
    assert alone.data[0].line.color == accuracy.data[1].line.color == VARIANT_STYLES["none"]["colour"]
    styles = {(s["colour"], s["dash"], s["symbol"]) for s in VARIANT_STYLES.values()}
    assert len({s[0] for s in styles}) == len({s[1] for s in styles}) == len({s[2] for s in styles}) == 4
    with use_language("zh"):
        assert variant_name("none") == "无注意力机制" and accuracy_chart(RUNS).data[0].name == "Luong（点积）"
    assert variant_name("something-new") == "something-new"


def test_the_attention_heatmap_is_shaded_in_its_variant_s_colour():
    weights = [[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]]
    figure = attention_heatmap(weights, "ab", "xy", "title", "luong-dot")
    assert figure.data[0].colorscale[-1][1] == VARIANT_STYLES["luong-dot"]["colour"]
    assert attention_heatmap(weights, "ab", "xy").data[0].colorscale[-1][1] == VARIANT_STYLES["bahdanau"]["colour"]

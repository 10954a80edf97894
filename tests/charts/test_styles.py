"""Every model's line differs from the others by more than colour: its dash and its marker too."""

from rnnviz.charts.gradients import gradient_decay_chart, task_chart
from rnnviz.charts.training import loss_chart


def line_looks(figure) -> list[tuple]:
    return [(trace.line.dash, trace.marker.symbol) for trace in figure.data if trace.mode and "lines" in trace.mode]


def test_the_cells_lines_differ_by_dash_and_marker_in_every_race_chart():
    cells = ["RNN (tanh)", "LSTM", "GRU", "RNN (relu)"]
    decay = gradient_decay_chart({cell: [1.0, 0.5, 0.25] for cell in cells})
    task = task_chart([{"name": c, "cell": c, "steps": [1, 2], "values": [0.2, 0.1]} for c in cells], baseline=0.167)
    runs = [{"name": c, "cell": c, "steps": [1, 2, 3], "losses": [3.0, 2.5, 2.0]} for c in cells]
    for figure in (decay, task, loss_chart(runs)):
        looks = line_looks(figure)
        assert len(looks) == len(cells) and len({dash for dash, _ in looks}) == len(cells), looks
        assert len({symbol for _, symbol in looks}) == len(cells), looks


def luminance(rgb) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_a_coloured_words_text_keeps_wcag_contrast_on_its_strongest_background():
    import re

    from rnnviz.charts.classify import WORD_INK, word_colours_html

    html = word_colours_html(["good", "bad"], [1.0, -1.0])
    ink = tuple(int(WORD_INK[i : i + 2], 16) for i in (1, 3, 5))
    for r, g, b, alpha in re.findall(r"rgba\((\d+),(\d+),(\d+),([\d.]+)\)", html):
        shown = [round(255 - float(alpha) * (255 - int(c))) for c in (r, g, b)]  # over the white page
        assert contrast(ink, shown) >= 4.5, (shown, contrast(ink, shown))
    assert 'title="+1.000"' in html  # the value itself, without colour, on hover


def test_the_ink_of_chart_text_is_the_themes_text_colour():
    import tomllib
    from pathlib import Path

    from rnnviz.charts.styles import INK

    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    assert INK.lower() == config["theme"]["textColor"].lower()


def test_every_charts_text_reads_at_4_5_to_1_on_white_once_it_is_made_readable():
    """What ``show_chart`` draws: every axis's ticks and title, every shown colour bar and every annotation in a
    colour of 4.5:1 or more (Streamlit's chart theme would draw the ones left unset in its 3.7:1 grey)."""
    from helpers import contrast_on_white
    from test_describe import SAMPLES

    from rnnviz.charts.styles import AXIS_INK, INK, readable_text

    assert contrast_on_white(AXIS_INK) >= 4.5 and contrast_on_white(INK) >= 4.5
    for function, sample in SAMPLES.items():
        figure = sample()
        readable_text(figure)
        layout = figure.to_plotly_json()["layout"]
        axes = [value for name, value in layout.items() if name.startswith(("xaxis", "yaxis"))]
        assert axes, function.__name__
        for axis in axes:
            assert axis["tickfont"]["color"] == AXIS_INK and axis["title"]["font"]["color"] == AXIS_INK
        for trace in figure.data:
            if "colorbar" in trace and trace.showscale is not False:
                assert trace.colorbar.tickfont.color == AXIS_INK, function.__name__
        for note in layout.get("annotations", []):
            assert contrast_on_white(note["font"]["color"]) >= 4.5, (function.__name__, note)


def test_a_colour_a_chart_gave_its_annotation_is_kept_and_a_plain_line_gets_no_colour_bar():
    import plotly.graph_objects as go

    from rnnviz.charts.styles import INK, readable_text

    figure = go.Figure(go.Scatter(y=[1, 2]))
    figure.add_annotation(text="mine", font=dict(color="#0072B2"))
    figure.add_hline(y=1, annotation_text="baseline")
    readable_text(figure)
    assert [note.font.color for note in figure.layout.annotations] == ["#0072B2", INK]
    assert "colorbar" not in figure.to_plotly_json()["data"][0].get("marker", {})

"""How a chart draws one model's line: its colour, and a dash and a marker of its own, so two curves stay apart for a
red-green colour-blind student and on a grey printout (``rnnviz.cells.style_for`` holds each cell's)."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.cells import style_for

INK = "#111318"  # the theme's textColor (.streamlit/config.toml): chart text that must read at 4.5:1 on white
# Tick labels, axis titles and colour-bar numbers: quieter than INK, still 6.4:1 on white. Streamlit's chart theme
# draws them in its own grey (#808495), which reads 3.7:1, under the 4.5:1 WCAG 2.1 AA asks of text.
AXIS_INK = "#5C5F6B"
MARKERS_SHOWN = 12  # markers along a line: enough to tell it by its symbol, few enough not to hide it


def model_line(label: str, index: int = 0, *, width: float = 2, dash: str | None = None) -> dict:
    """``go.Scatter`` keyword arguments for a model's line: ``mode``, ``line`` and ``marker``; ``dash`` overrides
    the model's own (a validation curve is dotted whatever its model)."""
    style = style_for(label, index)
    return {
        "mode": "lines+markers",
        "line": dict(color=style["colour"], dash=dash or style["dash"], width=width),
        "marker": dict(symbol=style["symbol"], size=7, color=style["colour"], maxdisplayed=MARKERS_SHOWN),
    }


def readable_text(figure: go.Figure) -> None:
    """Give ``figure``'s axis text (ticks and titles, every subplot's), its legend and its colour bars a colour that
    reads at 4.5:1 on white, in place: the text Streamlit's chart theme would otherwise draw in its
    grey. An annotation keeps a colour the chart gave it; one without (a labelled line's) gets ``INK``."""
    axis = dict(tickfont_color=AXIS_INK, title_font_color=AXIS_INK)
    figure.update_xaxes(**axis)
    figure.update_yaxes(**axis)
    figure.update_layout(legend_font_color=INK, legend_title_font_color=INK, title_font_color=INK)
    figure.update_annotations(font_color=INK, selector=lambda note: note.font.color is None)
    for trace in figure.data:
        for bar in _colour_bars(trace):
            bar.update(tickfont_color=AXIS_INK, title_font_color=AXIS_INK)
    if figure.layout.coloraxis.colorscale is not None:  # a shared scale (plotly express)
        figure.update_layout(coloraxis_colorbar=axis)


def _colour_bars(trace) -> list:
    """The colour bars a trace draws: its own (a heatmap's) and its markers' (a scatter coloured by value); a plain
    line gets none, so its data does not grow."""
    bars = []
    if "colorbar" in trace and trace.showscale is not False:
        bars.append(trace.colorbar)
    if "marker" in trace and "colorscale" in trace.marker and trace.marker.colorscale is not None:
        bars.append(trace.marker.colorbar)
    return bars

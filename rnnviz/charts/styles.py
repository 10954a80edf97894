"""How a chart draws one model's line: its colour, and a dash and a marker of its own, so two curves stay apart for a
red-green colour-blind student and on a grey printout (``rnnviz.cells.style_for`` holds each cell's)."""

from __future__ import annotations

from rnnviz.cells import style_for

INK = "#111318"  # the theme's textColor (.streamlit/config.toml): chart text that must read at 4.5:1 on white
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

"""Figures of the Attention page: the attention heatmap and held-out accuracy and loss per variant (Plotly).

A variant is named by its attention kind's key in a lab's snapshot ("bahdanau", "none"); every chart names it
``variant_name(key)`` in the reader's language and draws it in the one style ``VARIANT_STYLES`` gives it, so a
model keeps its name and colour across the page's charts and across lesson steps, whichever variants run."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.charts.styles import MARKERS_SHOWN, model_line
from rnnviz.i18n import t

# Okabe-Ito colours, each with a dash and a marker of its own; the baseline without attention is the grey dashed one
VARIANT_STYLES = {
    "bahdanau": {"colour": "#0072B2", "dash": "solid", "symbol": "circle"},
    "luong-dot": {"colour": "#CC79A7", "dash": "dashdot", "symbol": "diamond"},
    "luong-general": {"colour": "#009E73", "dash": "longdash", "symbol": "square"},
    "none": {"colour": "#555555", "dash": "dash", "symbol": "x"},
}


def variant_name(key: str) -> str:
    """An attention kind's human name in the current language ("Bahdanau (additive)", "No attention")."""
    return t(f"attn.kind.{key}") if key in VARIANT_STYLES else key


def variant_line(key: str, index: int = 0) -> dict:
    """``go.Scatter`` keyword arguments for a variant's line: its own colour, dash and marker."""
    style = VARIANT_STYLES.get(key)
    if style is None:
        return model_line(key, index)
    return {
        "mode": "lines+markers",
        "line": dict(color=style["colour"], dash=style["dash"], width=2),
        "marker": dict(symbol=style["symbol"], size=7, color=style["colour"], maxdisplayed=MARKERS_SHOWN),
    }


def attention_heatmap(
    weights: list[list[float]], source: str, output: str, title: str = "", variant: str | None = None
) -> go.Figure:
    """Output chars (rows) by input chars (columns): where the decoder looked for each char it wrote; shaded from
    white to the ``variant``'s own colour (blue without one)."""
    out_labels = [f"{i}:{c}" for i, c in enumerate(list(output) + ["</s>"])][: len(weights)]
    src_labels = [f"{i}:{c}" for i, c in enumerate(source)]
    hover = t("attn.chart.hover") + "<extra></extra>"
    colour = VARIANT_STYLES.get(variant or "bahdanau", VARIANT_STYLES["bahdanau"])["colour"]
    scale = [[0.0, "#ffffff"], [1.0, colour]]
    fig = go.Figure(
        go.Heatmap(z=weights, x=src_labels, y=out_labels, colorscale=scale, zmin=0, zmax=1, hovertemplate=hover)
    )
    fig.update_layout(
        title=title or None,
        xaxis_title=t("attn.chart.input"),
        yaxis_title=t("attn.chart.output"),
        yaxis_autorange="reversed",
        height=120 + 22 * len(out_labels),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return fig


def _variant_lines(runs: list[dict]) -> go.Figure:
    fig = go.Figure()
    for index, run in enumerate(runs):  # each variant keeps its own colour, dash and marker, by its kind
        key = run["name"]
        fig.add_trace(go.Scatter(x=run["steps"], y=run["values"], name=variant_name(key), **variant_line(key, index)))
    return fig


def accuracy_chart(runs: list[dict]) -> go.Figure:
    """Held-out exact match per variant against step (attention vs no attention on one chart); ``runs``:
    ``[{name (the kind's key), steps, values}]``."""
    fig = _variant_lines(runs)
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t("attn.chart.exact_match"),
        yaxis_range=[0, 1.02],
        height=320,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    return fig


def loss_chart(runs: list[dict]) -> go.Figure:
    """Loss per variant against step, in the same names and styles as ``accuracy_chart``."""
    fig = _variant_lines(runs)
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t("grad.chart.held_out_loss"),
        height=360,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    return fig

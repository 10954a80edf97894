"""Figures of the Attention page: the attention heatmap and held-out accuracy per variant (Plotly)."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.charts.styles import model_line
from rnnviz.i18n import t


def attention_heatmap(weights: list[list[float]], source: str, output: str, title: str = "") -> go.Figure:
    """Output chars (rows) by input chars (columns): where the decoder looked for each char it wrote."""
    out_labels = [f"{i}:{c}" for i, c in enumerate(list(output) + ["</s>"])][: len(weights)]
    src_labels = [f"{i}:{c}" for i, c in enumerate(source)]
    hover = t("attn.chart.hover") + "<extra></extra>"
    fig = go.Figure(
        go.Heatmap(z=weights, x=src_labels, y=out_labels, colorscale="Blues", zmin=0, zmax=1, hovertemplate=hover)
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


def accuracy_chart(runs: list[dict]) -> go.Figure:
    """Held-out exact match per variant against step (attention vs no attention on one chart)."""
    fig = go.Figure()
    for index, run in enumerate(runs):  # each variant keeps one colour, dash and marker: its place in the list
        fig.add_trace(go.Scatter(x=run["steps"], y=run["values"], name=run["name"], **model_line(run["name"], index)))
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t("attn.chart.exact_match"),
        yaxis_range=[0, 1.02],
        height=320,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    return fig

"""An intervention's figure: the probability of one next token after each token of the text, in the untouched run
and in the run with a unit clamped, the clamp's first position marked. Pure: lists of numbers in, a Plotly figure
out (``introspect/intervene.py`` computes the runs; the Inspect page and the lesson hand over their numbers)."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.charts.trace import display_char
from rnnviz.i18n import t


def intervention_chart(
    labels: list[str],
    untouched: list[float],
    clamped: list[float],
    watched: str,
    target: str,
    from_position: int,
) -> go.Figure:
    """``labels``: each step's token; ``untouched`` and ``clamped``: the probability of ``watched`` next after each
    token; ``target`` names the clamped unit ("layer 1 c[37] = 0"), clamped from ``from_position`` on."""
    tokens = [display_char(token) for token in labels]
    steps = list(range(len(tokens)))
    fig = go.Figure()
    for name, values, style in (
        (t("charts.intervene.untouched"), untouched, dict(color="#0072B2")),
        (t("charts.intervene.clamped", target=target), clamped, dict(color="#D55E00", dash="dash")),
    ):
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=values,
                name=name,
                mode="lines+markers",
                marker=dict(size=4),
                line=style,
                customdata=tokens,
                hovertemplate=t("charts.intervene.hover"),
            )
        )
    fig.add_vline(
        x=from_position - 0.5,
        line=dict(color="black", dash="dot"),
        annotation_text=t("charts.intervene.from_here"),
        annotation_position="top right",
    )
    fig.update_layout(
        title=t("charts.intervene.title", token=display_char(watched)),
        xaxis_title=t("charts.intervene.position"),
        yaxis_title=t("charts.intervene.probability", token=display_char(watched)),
        yaxis=dict(range=[0, 1.02]),
        height=340,
        margin=dict(l=10, r=10, t=50, b=10),
    )
    return fig

"""The class's answers to one question as a bar chart: what the teacher teaches from after a reveal ("41% predicted
the GRU; the LSTM won"), and the spread so far before it.

The right option is marked by a pattern and a check mark in its label as well as by colour, so it reads in grey
and for a red-green colour-blind student. Options are the question's own words, already in the reader's language.
"""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.charts.styles import INK
from rnnviz.i18n import t

BAR = "#56B4E9"  # Okabe-Ito sky blue: the class's answers
RIGHT = "#0072B2"  # Okabe-Ito blue, with a hatch: the right one


def answer_shares(counts: list[int]) -> list[float]:
    """Each option's share of the answers given (all zero when nobody has answered)."""
    total = sum(counts)
    return [count / total if total else 0.0 for count in counts]


def class_answers_chart(options: list[str], counts: list[int], right: int | None = None) -> go.Figure:
    """One horizontal bar per option, its length the share of the class that chose it, the count and share
    written on it; ``right`` (an option's index, None before the reveal) marked."""
    if len(options) != len(counts):
        raise ValueError(f"{len(options)} options but {len(counts)} counts")
    shares = answer_shares(counts)
    labels = [f"✓ {option}" if index == right else option for index, option in enumerate(options)]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=[share * 100 for share in shares],
            orientation="h",
            text=[t("class.chart.bar", count=count, share=f"{share:.0%}") for count, share in zip(counts, shares)],
            textposition="outside",  # beside the bar, never over the right one's hatching
            cliponaxis=False,
            marker=dict(
                color=[RIGHT if index == right else BAR for index in range(len(options))],
                pattern=dict(shape=["/" if index == right else "" for index in range(len(options))], fgcolor="#FFFFFF"),
                line=dict(color=INK, width=1),
            ),
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
        )
    )
    fig.update_layout(
        # No title: on a phone the chart's tool bar would sit on it. The count is in the axis' title instead.
        xaxis=dict(
            title=t("class.chart.title", n=sum(counts)), range=[0, 125], tickvals=[0, 25, 50, 75, 100], ticksuffix="%"
        ),
        yaxis=dict(autorange="reversed", automargin=True),
        height=110 + 46 * len(options),
        margin=dict(l=10, r=10, t=30, b=10),
        showlegend=False,
    )
    return fig

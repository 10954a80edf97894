"""Figures of the Tag page: F1 per variant against the baseline, entities highlighted in a sentence, each
character's tag probabilities, and how much each reading direction pushed each decision."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from rnnviz.charts.training import horizontal_lines
from rnnviz.i18n import t
from rnnviz.tagging.bio import ENTITY_TYPES, TAGS


def type_name(kind: str) -> str:
    """An entity type's name in the current language ("person" / "人名")."""
    return t(f"tag.type.{kind}") if kind in ENTITY_TYPES else kind


ENTITY_COLOURS = {"PER": "#fdd49e", "LOC": "#c7e9c0", "ORG": "#c6dbef"}


def f1_chart(runs: list[dict], baseline_f1: float | None = None) -> go.Figure:
    """Entity F1 on the validation sample per variant against step; the most-frequent-tag baseline as a line."""
    fig = go.Figure()
    for run in runs:
        fig.add_trace(go.Scatter(x=run["steps"], y=run["f1"], name=run["name"], mode="lines+markers"))
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t("tag.chart.f1_axis"),
        yaxis_range=[0, 1.02],
        height=320,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    if baseline_f1 is not None:
        horizontal_lines(fig, [(baseline_f1, t("tag.chart.baseline", f1=baseline_f1))])
    return fig


def entity_html(text: str, entities: list[dict]) -> str:
    """The sentence with each entity on its type's colour and the type's name after it (escaped HTML)."""
    parts, position = [], 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        parts.append(html.escape(text[position : entity["start"]]))
        colour = ENTITY_COLOURS.get(entity["kind"], "#eeeeee")
        name = type_name(entity["kind"])
        parts.append(
            f'<span style="background:{colour};padding:1px 3px;border-radius:3px" title="{name}">'
            f"{html.escape(text[entity['start'] : entity['end']])}"
            f'<sub style="font-size:0.65em;color:#555"> {entity["kind"]}</sub></span>'
        )
        position = entity["end"]
    parts.append(html.escape(text[position:]))
    return f'<div style="font-size:1.25em;line-height:2">{"".join(parts)}</div>'


def legend_html() -> str:
    swatches = [
        f'<span style="background:{c};padding:1px 6px;border-radius:3px">{type_name(k)} ({k})</span>'
        for k, c in ENTITY_COLOURS.items()
    ]
    return " ".join(swatches)


def tag_probability_heatmap(text: str, probabilities: list[list[float]], title: str = "") -> go.Figure:
    """Tags (rows) by characters (columns): the model's probability of each tag for each character."""
    positions = list(range(len(text)))
    rows = [[row[k] for row in probabilities] for k in range(len(TAGS))]  # (K, T)
    hover = [[f"{i}: {c}" for i, c in enumerate(text)] for _ in TAGS]
    fig = go.Figure(
        go.Heatmap(
            z=rows,
            x=positions,
            y=list(TAGS),
            customdata=hover,
            colorscale="Greens",
            zmin=0,
            zmax=1,
            hovertemplate="%{customdata}<br>%{y}: %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title or None,
        height=260,
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        yaxis_autorange="reversed",
    )
    _character_axis(fig, text)
    return fig


def _character_axis(fig: go.Figure, text: str) -> None:
    """One tick per character, the character itself (its position is in the hover)."""
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(len(text))),
        ticktext=list(text),
        tickangle=0,
        tickfont=dict(size=14 if len(text) <= 60 else 9),
    )


def direction_chart(text: str, tags: list[str], forward: list[float], backward: list[float]) -> go.Figure:
    """For each character, how far the forward (left-to-right) and the backward (right-to-left) states push the
    chosen tag's score above the average tag's: the two parts add up to the whole push."""
    positions = list(range(len(text)))
    hover = [f"{i}: {c} -> {t}" for i, (c, t) in enumerate(zip(text, tags))]
    fig = go.Figure()
    for name, values, colour in (  # Okabe-Ito blue and vermilion: apart for red-green colour blindness, 3:1 on white
        (t("tag.chart.forward"), forward, "#0072B2"),
        (t("tag.chart.backward"), backward, "#D55E00"),
    ):
        fig.add_trace(
            go.Bar(
                x=positions,
                y=values,
                name=name,
                marker_color=colour,
                customdata=hover,
                hovertemplate="%{customdata}<br>%{y:.2f}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="relative",
        yaxis_title=t("tag.chart.push"),
        height=300,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    _character_axis(fig, text)
    return fig

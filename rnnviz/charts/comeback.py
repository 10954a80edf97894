"""The figures of the lesson "Why attention won, and how recurrence came back" (plain data in, Plotly out): training
speed at one sequence length as one bar per cell and mode (``bench scaling``'s rows), and minGRU's parallel scan
against its step-by-step loop, the largest difference between the two at each step."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.cells import style_for
from rnnviz.charts.scaling import line_name
from rnnviz.charts.styles import INK
from rnnviz.i18n import t

ROUNDING = 2.0**-24  # float32 keeps 24 bits: a value v is rounded by up to v * 2^-24


def speed_bar_chart(rows: list[dict]) -> go.Figure:
    """Training tokens per second at one sequence length, one horizontal bar per row (a cell and its mode, named as
    ``scaling.line_name`` names a line), its ratio to the fused GRU written beside it; the step-by-step loop hatched,
    so the two ways of one cell differ without their colour. ``rows``: ``charlm/scaling.training_row``'s, with
    ``ratio_to_gru``."""
    modes: dict[str, set] = {}
    for row in rows:
        modes.setdefault(row["cell"], set()).add(row.get("mode", ""))
    names = [line_name(row, modes) for row in rows]
    colours = [style_for(row["label"], index)["colour"] for index, row in enumerate(rows)]
    ratios = [row.get("ratio_to_gru") for row in rows]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=[row["tokens_per_s"] for row in rows],
            orientation="h",
            text=["" if ratio is None else t("charts.comeback.ratio", ratio=ratio) for ratio in ratios],
            textposition="outside",
            cliponaxis=False,
            marker=dict(
                color=colours,
                pattern=dict(shape=["/" if row.get("mode") == "sequential" else "" for row in rows], fgcolor="#FFFFFF"),
                line=dict(color=INK, width=1),
            ),
            hovertemplate=t("charts.comeback.speed_hover") + "<extra></extra>",
        )
    )
    seq_len = rows[0]["seq_len"] if rows else 0
    device = next((row.get("device") for row in rows if row.get("device")), "")
    fig.update_layout(
        title=t("charts.comeback.speed_title", seq_len=seq_len, device=device),
        xaxis=dict(title=t("charts.scaling_axis.training"), rangemode="tozero"),
        yaxis=dict(autorange="reversed", automargin=True),
        height=140 + 48 * max(1, len(rows)),
        margin=dict(l=10, r=60, t=60, b=10),
        showlegend=False,
    )
    return fig


def scan_agreement_chart(differences: list[float], largest_state: float) -> go.Figure:
    """The largest |parallel scan - loop| over a batch's units at each step t (index t - 1 of ``differences``),
    beside the float32 rounding of the largest state (``largest_state`` * 2^-24): a scan that agreed only at first
    would climb away from it."""
    fig = go.Figure(
        go.Scatter(
            x=list(range(1, len(differences) + 1)),
            y=list(differences),
            name=t("charts.comeback.difference"),
            mode="lines",
            line=dict(color="#0072B2", width=1.5),
            hovertemplate=t("charts.comeback.difference_hover") + "<extra></extra>",
        )
    )
    rounding = largest_state * ROUNDING
    fig.add_hline(
        y=rounding,
        line=dict(color="grey", dash="dash"),
        annotation_text=t("charts.comeback.rounding", value=f"{rounding:.1e}"),
    )
    fig.update_layout(
        title=t("charts.comeback.agreement_title"),
        xaxis_title=t("charts.comeback.time_step"),
        yaxis=dict(title=t("charts.comeback.difference"), rangemode="tozero", exponentformat="power"),
        height=360,
        margin=dict(l=10, r=10, t=60, b=10),
        showlegend=False,
    )
    return fig

"""Figures of the Gradients page: gradient decay over time, long-memory tasks, the length sweep (Plotly)."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from rnnviz.cells import colour_for
from rnnviz.charts.styles import model_line
from rnnviz.charts.training import mean_curve
from rnnviz.i18n import t


def gradient_decay_chart(
    series: dict[str, list[float]], title: str = "", inputs: tuple[str, ...] | list[str] = ()
) -> go.Figure:
    """series: label -> norm relative to distance 0, indexed by distance; log y. ``inputs``: the series that measure
    the gradient with respect to each position's input embedding, not a hidden state (a Transformer carries none),
    which the y axis then says."""
    fig = go.Figure()
    marks = 0
    for index, (label, values) in enumerate(series.items()):
        ys = [v if (v is not None and math.isfinite(v) and v > 0) else None for v in values]
        fig.add_trace(go.Scatter(x=list(range(len(ys))), y=ys, name=label, **model_line(label, index)))
        zero_from = float32_zero_from(values)
        if zero_from is not None:  # the line ends there: say why, where it ends
            fig.add_annotation(
                x=zero_from - 1,
                y=math.log10(ys[zero_from - 1]),  # a log axis places annotations by the exponent
                # two short lines, on a backing, ending left of the arrow: it fits a phone and no line crosses it
                text=t("grad.chart.zero_from", name=label, step=zero_from) + "<br>" + t("grad.chart.zero_from_why"),
                showarrow=True,
                arrowhead=2,
                ax=-30,
                ay=-40 - 44 * marks,  # a second line that underflows near the first gets its label above, not on it
                xanchor="right",
                align="right",
                bgcolor="rgba(255, 255, 255, 0.85)",  # its text in INK, as every annotation without a colour of its own
            )
            marks += 1
    fig.add_hline(y=1.0, line=dict(color="grey", dash="dot"))
    axis = t("grad.chart.relative_norm_inputs", models=", ".join(inputs)) if inputs else t("grad.chart.relative_norm")
    fig.update_layout(
        title=title or None,
        xaxis_title=t("grad.chart.distance"),
        yaxis_title=axis,
        yaxis_type="log",
        yaxis_exponentformat="power",  # 10^-6 to 10^-21 in one notation, not 1µ, 1n, then 10^-18
        height=420,
        margin=dict(l=10, r=10, t=40 if title else 20, b=10),
        legend=dict(orientation="h", y=-0.2),
    )
    return fig


def float32_zero_from(values: list[float | None]) -> int | None:
    """The distance from which a gradient's norm is exactly 0 to the end (below float32's smallest number: it
    underflowed), after a positive value; None where it never does. A log axis cannot draw 0, so the line stops
    there, and a student would read the stop as the end of the measurement."""
    last_positive = max((i for i, v in enumerate(values) if v is not None and math.isfinite(v) and v > 0), default=-1)
    tail = values[last_positive + 1 :]
    if last_positive < 0 or not tail or any(v != 0 for v in tail):
        return None
    return last_positive + 1


def task_chart(runs: list[dict], baseline: float, metric: str = "loss") -> go.Figure:
    """runs: [{name, steps, values, cell?}] held-out loss (or accuracy) against step, with the baseline.

    Runs of one cell over several seeds (same ``cell``) are drawn faintly, one line per seed, with their mean on top.
    """
    fig = go.Figure()
    by_cell: dict[str, list[dict]] = {}
    for run in runs:
        by_cell.setdefault(run.get("cell", run["name"]), []).append(run)
    for index, (cell, group) in enumerate(by_cell.items()):
        colour = colour_for(cell, index)
        if len(group) == 1:
            run = group[0]
            fig.add_trace(go.Scatter(x=run["steps"], y=run["values"], name=run["name"], **model_line(cell, index)))
            continue
        for run in group:
            fig.add_trace(
                go.Scatter(
                    x=run["steps"],
                    y=run["values"],
                    name=run["name"],
                    mode="lines",
                    opacity=0.35,
                    legendgroup=cell,
                    showlegend=False,
                    line=dict(color=colour, width=1),
                )
            )
        steps, mean = mean_curve([(run["steps"], run["values"]) for run in group])
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=mean,
                name=t("grad.chart.mean", cell=cell, n=len(group)),
                legendgroup=cell,
                **model_line(cell, index, width=3),
            )
        )
    if baseline is not None:
        label = t("grad.chart.chance" if metric == "accuracy" else "grad.chart.baseline")
        fig.add_hline(y=baseline, line=dict(color="grey", dash="dash"), annotation_text=f"{label} {baseline:.3f}")
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t(f"grad.chart.held_out_{metric}"),
        height=360,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    return fig


def sweep_chart(results: dict[int, list[dict]]) -> go.Figure:
    """Loss relative to the baseline against sequence length, per cell, the mean over its seeds (lower is better;
    1 = nothing learned)."""
    fig = go.Figure()
    cells = sorted({row["cell"] for rows in results.values() for row in rows})
    for index, cell in enumerate(cells):
        points = []  # (T, mean over the cell's seeds at that T)
        for length, rows in sorted(results.items()):
            values = [
                row["loss / baseline"] for row in rows if row["cell"] == cell and row["loss / baseline"] is not None
            ]
            if values:
                points.append((length, sum(values) / len(values)))
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                name=cell,
                **model_line(cell, index),
            )
        )
    fig.add_hline(y=1.0, line=dict(color="grey", dash="dash"), annotation_text=t("grad.chart.baseline_short"))
    fig.update_layout(
        xaxis_title=t("grad.chart.length"),
        yaxis_title=t("grad.chart.relative"),
        xaxis_type="log",
        height=360,
        margin=dict(l=10, r=10, t=20, b=10),
    )
    return fig

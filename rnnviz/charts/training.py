"""Charts as pure functions from data to Plotly figures: testable without a browser."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from rnnviz.cells import colour_for
from rnnviz.charlm.evaluation import LN2
from rnnviz.charts.styles import model_line
from rnnviz.i18n import t


def _smooth(values: list[float], weight: float = 0.9) -> list[float]:
    """Exponential moving average that skips non-finite values (a diverged tail stays visible as a gap)."""
    out, last = [], None
    for v in values:
        if not math.isfinite(v):
            out.append(None)
            continue
        last = v if last is None else weight * last + (1 - weight) * v
        out.append(last)
    return out


def downsample(xs: list, ys: list, max_points: int = 400) -> tuple[list, list]:
    """Every k-th point so at most ``max_points`` remain (the last one always kept): a chart of
    5,000 steps per cell would otherwise cost more to send than the training it shows."""
    if len(xs) <= max_points:
        return list(xs), list(ys)
    stride = -(-len(xs) // max_points)
    idx = list(range(0, len(xs), stride))
    if idx[-1] != len(xs) - 1:
        idx.append(len(xs) - 1)
    return [xs[i] for i in idx], [ys[i] for i in idx]


def loss_chart(
    runs: list[dict], baselines: dict[str, float] | None = None, bits: bool = False, per: str = "char"
) -> go.Figure:
    """runs: [{name, steps, losses, val_steps, val_losses, diverged, cell?}]; baselines: {label: nats}.

    Several seeds of one cell (runs sharing ``cell``) are drawn faintly, with the mean of their smoothed training
    loss on top; one run per cell is drawn as before, its validation loss dotted.
    """
    scale = 1 / LN2 if bits else 1.0
    unit = t("charts.bits_per" if bits else "charts.nats_per", per=t(f"units.{per}"))
    fig = go.Figure()
    groups: dict[str, list[dict]] = {}
    for run in runs:
        groups.setdefault(run.get("cell", run["name"]), []).append(run)
    for index, (cell, group) in enumerate(groups.items()):
        colour = colour_for(cell, index)
        several = len(group) > 1
        smoothed = []
        for run in group:
            steps, smooth = downsample(list(run["steps"]), _smooth(list(run["losses"])))
            smoothed.append((steps, smooth))
            fig.add_trace(
                go.Scatter(
                    x=_array(steps),
                    y=_array(smooth) * scale,
                    name=t("charts.train_curve", name=run["name"]),
                    **model_line(cell, index, width=1 if several else 2),
                    opacity=0.35 if several else 1.0,
                    legendgroup=cell,
                    showlegend=not several,
                )
            )
            if run.get("val_steps") and not several:
                fig.add_trace(
                    go.Scatter(
                        x=_array(run["val_steps"]),
                        y=_array(run["val_losses"]) * scale,
                        name=t("charts.validation_curve", name=run["name"]),
                        **model_line(cell, index, dash="dot"),
                    )
                )
            if run.get("diverged") and run["steps"]:
                fig.add_annotation(
                    x=run["steps"][-1],
                    y=0.9,
                    yref="paper",
                    text=t("charts.diverged", name=run["name"]),
                    showarrow=True,
                    font=dict(color=colour),
                    arrowcolor=colour,
                )
        if several:
            steps, mean = mean_curve(smoothed)
            fig.add_trace(
                go.Scatter(
                    x=_array(steps),
                    y=_array(mean) * scale,
                    legendgroup=cell,
                    name=t("charts.mean_curve", cell=cell, n=len(group)),
                    **{**model_line(cell, index, width=3), "mode": "lines"},
                )
            )
    lines = [(v * scale, f"{baseline_label(label)} {v * scale:.2f}") for label, v in (baselines or {}).items()]
    log_axis = _spans_orders_of_magnitude(fig)
    horizontal_lines(fig, lines, log_axis=log_axis)
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t("charts.loss_axis", unit=unit),
        height=380,
        margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", y=-0.2),
        uirevision="loss",
        yaxis_type="log" if log_axis else "linear",
    )
    return fig


def _spans_orders_of_magnitude(fig: go.Figure, ratio: float = 100.0) -> bool:
    """True when the plotted values span more than ``ratio`` (an exploded run's 1e33 beside a loss of 2): a linear
    axis would flatten every other curve to zero, so the loss chart switches to a log axis."""
    values = np.concatenate([np.asarray(trace.y, dtype=float) for trace in fig.data if trace.y is not None] or [[]])
    values = values[np.isfinite(values) & (values > 0)]
    return values.size > 0 and float(values.max()) > ratio * float(values.min())


def mean_curve(curves: list[tuple[list, list]]) -> tuple[list, list]:
    """The mean of several seeds' curves [(steps, values)] at the first one's steps (seeds train and evaluate in
    lockstep), skipping missing or None values."""
    steps = curves[0][0]
    by_step = [dict(zip(xs, ys)) for xs, ys in curves]
    mean = []
    for step in steps:
        values = [curve[step] for curve in by_step if curve.get(step) is not None]
        mean.append(sum(values) / len(values) if values else None)
    return steps, mean


def baseline_label(label: str) -> str:
    """A baseline's name ("uniform", "bigram", "5-gram", ...) in the current language."""
    if label.endswith("-gram") and label[:-5].isdigit():
        return t("charts.ngram", n=label[:-5])
    return t(f"charts.baseline.{label}")


def grad_norm_chart(runs: list[dict], clip_norm: float | None = None) -> go.Figure:
    """Total gradient norm before clipping, per step, log scale."""
    fig = go.Figure()
    for index, run in enumerate(runs):
        norms = [v if (v is not None and math.isfinite(v) and v > 0) else None for v in run["grad_norms"]]
        steps, norms = downsample(list(run["steps"]), norms)
        fig.add_trace(
            go.Scatter(
                x=_array(steps),
                y=_array(norms),
                name=run["name"],
                **model_line(run["name"], index, width=1),
            )
        )
    if clip_norm:
        horizontal_lines(fig, [(clip_norm, t("charts.clip_at", value=f"{clip_norm:g}"))], log_axis=True)
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t("charts.grad_norm_axis"),
        yaxis_type="log",
        height=300,
        margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", y=-0.25),
        uirevision="grad",
    )
    return fig


def _array(values) -> np.ndarray:
    """Plotly validates a list element by element in Python and a float array at once (with ``downsample`` this
    took the loss chart from 150 ms to 37 ms a tick, measured with a 5,000-step history)."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def horizontal_lines(fig: go.Figure, lines: list[tuple[float, str]], log_axis: bool = False) -> None:
    """Labelled dashed lines across the plot (the baselines and thresholds of the training, tagging and classify
    charts), added in one layout update rather than one ``add_hline`` each (each of those re-validates the layout,
    which the live charts would pay at every redraw). On a log axis Plotly places a shape by the value but an
    annotation by log10 of the value (checked in Chromium), so ``log_axis`` converts the labels' positions only."""
    shapes = [
        dict(type="line", xref="paper", x0=0, x1=1, y0=y, y1=y, line=dict(color="grey", dash="dash", width=1))
        for y, _ in lines
    ]
    notes = [
        dict(
            xref="paper",
            x=0,
            y=math.log10(y) if log_axis else y,
            text=text,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font=dict(size=10),
        )
        for y, text in lines
        if y > 0 or not log_axis
    ]
    fig.update_layout(shapes=list(fig.layout.shapes) + shapes, annotations=list(fig.layout.annotations) + notes)

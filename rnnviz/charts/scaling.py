"""The figure of ``python -m rnnviz bench scaling --json``: speed against sequence length, one line per cell and
mode, from the bench's rows (plain dicts: ``measure``, ``cell``, ``label``, ``mode``, ``seq_len``, ``tokens_per_s``,
``ratio_to_gru``, ...; ``rnnviz/charlm/scaling.py`` writes them)."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.charts.styles import model_line
from rnnviz.i18n import t

MEASURES = ("training", "generation")


def line_name(row: dict, modes: dict[str, set]) -> str:
    """A line's name: the cell's label, with its mode where the cell runs in more than one ("minGRU (parallel
    scan)", "minGRU (step by step)"); ``modes`` is each cell's modes in the rows drawn."""
    if len(modes.get(row["cell"], ())) > 1:
        return f"{row['label']} ({t('charts.scaling_mode.' + row['mode'])})"
    return row["label"]


def scaling_chart(rows: list[dict], measure: str = "training", ratio: bool = False) -> go.Figure:
    """Tokens per second (training: one training step's tokens; generation: one generated token after a prompt of
    T tokens) against the sequence length T, both axes logarithmic; with ``ratio``, each line over the fused GRU's
    at the same T (``ratio_to_gru``: above 1 is faster than the GRU)."""
    chosen = [row for row in rows if row.get("measure", "training") == measure]
    modes: dict[str, set] = {}
    for row in chosen:
        modes.setdefault(row["cell"], set()).add(row.get("mode", ""))
    lines: dict[str, list[dict]] = {}
    for row in chosen:
        lines.setdefault(line_name(row, modes), []).append(row)
    value = "ratio_to_gru" if ratio else "tokens_per_s"
    fig = go.Figure()
    for index, (name, points) in enumerate(lines.items()):
        points = sorted((p for p in points if p.get(value) is not None), key=lambda p: p["seq_len"])
        style = model_line(points[0]["label"] if points else name, index)
        if points and points[0].get("mode") == "sequential":
            style["line"]["dash"] = "dot"  # the step-by-step loop: the same cell, dotted
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[p["seq_len"] for p in points],
                y=[p[value] for p in points],
                hovertemplate=t("charts.scaling_hover_ratio" if ratio else "charts.scaling_hover", name=name)
                + "<extra></extra>",
                **style,
            )
        )
    if ratio:
        fig.add_hline(y=1, line=dict(color="#666666", dash="dash", width=1))
    y_title = t("charts.scaling_ratio_axis") if ratio else t(f"charts.scaling_axis.{measure}")
    x_title = t("charts.scaling_position") if measure == "generation" else t("charts.scaling_seq_len")
    device = next((row.get("device") for row in chosen if row.get("device")), "")
    fig.update_layout(
        title=t(f"charts.scaling_title.{measure}", device=device),
        xaxis=dict(title=x_title, type="log"),
        yaxis=dict(title=y_title, type="log"),
        height=440,
        margin=dict(l=10, r=10, t=60, b=10),
        legend=dict(orientation="h", y=-0.2),
    )
    return fig

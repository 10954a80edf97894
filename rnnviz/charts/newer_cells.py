"""Figures of the newer cells' traces (``rnnviz/cells/``): the selective SSM's step size per token, and a
Transformer's attention per head over the text. Pure functions from plain data (numpy arrays and lists; the view
converts a trace through ``rnnviz/introspect/chart_data.py``); minGRU's and minLSTM's gates are drawn by
``charts/trace.gate_heatmaps`` like every other cell's.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.charts.trace import display_char
from rnnviz.i18n import t


def _step_labels(labels: list[str]) -> list[str]:
    """Each step's own label on a category axis ("step 3, 'a'"), so a repeated token keeps its place."""
    return [t("charts.step_token", step=step, token=display_char(token)) for step, token in enumerate(labels)]


def step_size_chart(labels: list[str], delta: np.ndarray, channels: list[int] | None = None) -> go.Figure:
    """The selective SSM's step size Δ per token: delta (T, D), one value per token and channel.

    Top: the mean over the channels per token, between the smallest and the largest (a large Δ lets the token in and
    forgets the state, a small one keeps the state and skips the token). Below: a heatmap, time by channel (the
    ``channels`` given, every channel by default)."""
    delta = np.asarray(delta, dtype=np.float64)  # (T, D)
    channels = list(range(delta.shape[1])) if channels is None else list(channels)
    x = _step_labels(labels)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        row_heights=[0.35, 0.65],
        subplot_titles=[t("charts.step_size_mean"), t("charts.step_size_channels")],
    )
    low, high, mean = delta.min(axis=1), delta.max(axis=1), delta.mean(axis=1)  # (T,) each
    band = dict(mode="lines", line=dict(width=0, color="#0072B2"), hoverinfo="skip", showlegend=False)
    fig.add_trace(go.Scatter(name=t("charts.step_size_low"), x=x, y=np.round(low, 4).tolist(), **band), row=1, col=1)
    fig.add_trace(
        go.Scatter(
            name=t("charts.step_size_high"),
            x=x,
            y=np.round(high, 4).tolist(),
            fill="tonexty",
            fillcolor="rgba(0, 114, 178, 0.18)",
            **band,
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            name=t("charts.step_size_mean"),
            x=x,
            y=np.round(mean, 4).tolist(),
            mode="lines+markers",
            line=dict(color="#0072B2"),
            showlegend=False,
            hovertemplate="%{x}<br>Δ = %{y:.4f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Heatmap(
            name="Δ",
            z=np.round(delta[:, channels].T, 4).tolist(),  # (channels, T)
            x=x,
            y=[str(c) for c in channels],
            colorscale="Viridis",
            zmin=0,
            hovertemplate=t("charts.step_size_hover") + "<extra></extra>",
        ),
        row=2,
        col=1,
    )
    tick_every = max(1, len(x) // 60)
    fig.update_xaxes(type="category")
    fig.update_xaxes(
        tickvals=x[::tick_every], ticktext=[display_char(c) for c in labels][::tick_every], tickangle=0, row=2, col=1
    )
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_yaxes(title_text="Δ", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=t("charts.channel"), row=2, col=1)
    fig.update_layout(
        title=t("charts.step_size_title"), height=520, margin=dict(l=10, r=10, t=70, b=10), showlegend=False
    )
    return fig


def attention_heads_chart(labels: list[str], weights: np.ndarray, layer: int, columns: int = 2) -> go.Figure:
    """A Transformer block's attention over the text, one heatmap per head: weights (heads, T, T), row i the
    weights token i gives every token j <= i (each row sums to 1; above the diagonal, the future, is 0)."""
    weights = np.asarray(weights, dtype=np.float64)  # (heads, T, T)
    heads = weights.shape[0]
    columns = max(1, min(columns, heads))
    rows = math.ceil(heads / columns)
    chars = [display_char(c) for c in labels]
    x = _step_labels(labels)
    fig = make_subplots(
        rows=rows,
        cols=columns,
        horizontal_spacing=0.08,
        vertical_spacing=0.12 if rows > 1 else 0.0,
        subplot_titles=[t("charts.attention_head", head=head) for head in range(heads)],
    )
    tick_every = max(1, len(x) // 30)
    for head in range(heads):
        row, col = head // columns + 1, head % columns + 1
        fig.add_trace(
            go.Heatmap(
                name=t("charts.attention_head", head=head),
                z=np.round(weights[head], 3).tolist(),  # (T queries, T keys)
                x=x,
                y=x,
                colorscale="Viridis",
                zmin=0,
                zmax=1,
                showscale=head == 0,
                hovertemplate=t("charts.attention_hover") + "<extra></extra>",
            ),
            row=row,
            col=col,
        )
        fig.update_xaxes(
            type="category", tickvals=x[::tick_every], ticktext=chars[::tick_every], tickangle=0, row=row, col=col
        )
        fig.update_yaxes(
            type="category",
            autorange="reversed",
            tickvals=x[::tick_every],
            ticktext=chars[::tick_every],
            row=row,
            col=col,
        )
    fig.update_xaxes(title_text=t("charts.attention_key"), row=rows)
    fig.update_yaxes(title_text=t("charts.attention_query"), col=1)
    fig.update_layout(
        title=t("charts.attention_title", layer=layer),
        height=80 + 380 * rows,
        margin=dict(l=10, r=10, t=80, b=10),
    )
    return fig

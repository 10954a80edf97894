"""Figures of a trace: pure functions from plain data (numpy arrays, lists, dicts) to Plotly figures.

They never see a ``Trace`` or a tensor: ``rnnviz.introspect.chart_data`` turns a trace into the arrays drawn here, so
each chart can be tested on a few hand-written numbers and the chart layer needs no torch.
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.i18n import t

GATE_NAMES = ("i", "f", "g", "o", "r", "z", "n", "pre", "c", "h")  # each titled by the catalogue's gates.NAME
# the newer cells' (``introspect/newer_cells.py``): minGRU's decay and candidate, minLSTM's normalised gates, the SSM's
# step size, output and output gate
NEWER_GATE_NAMES = ("decay", "h_tilde", "f_norm", "i_norm", "delta", "y", "gate")
UNBOUNDED = ("delta",)  # positive, not in [0, 1]: a colour scale from 0 to its largest value


def gate_title(name: str) -> str:
    return t(f"gates.{name}") if name in GATE_NAMES + NEWER_GATE_NAMES else name


def display_char(ch: str) -> str:
    """A character or a token as a label: whitespace made visible, a word's leading space dropped."""
    if len(ch) > 1:
        return ch.strip() or ch.replace(" ", "␣")
    return {"\n": "⏎", " ": "␣", "\t": "⇥", "\ufffd": "<unk>"}.get(ch, ch)


HOVER_VALUES = 20_000  # up to this many values (gates x units x tokens) every cell hovers with its exact value
IMAGE_VALUES = 150_000  # beyond, each gate is a picture whose columns average a few tokens to stay under this


def gate_heatmaps(
    series: dict[str, np.ndarray],
    labels: list[str],
    units: list[int],
    *,
    hover_values: int = HOVER_VALUES,
    image_values: int = IMAGE_VALUES,
) -> go.Figure:
    """One panel per gate and state, in ``series``' order: time (the tokens, ``labels``) by unit. ``series`` maps a
    name to its (T, H) values (``chart_data.layer_series``).

    Up to ``hover_values`` values in all, each panel is a heatmap whose every cell hovers with its token, step, unit
    and value. Beyond, each panel is a PNG picture of the same colours (a few bytes a value instead of a number each),
    whose columns average ``bin`` tokens when there are more than ``image_values`` values; it hovers with the step
    and unit only. ``fig.layout.meta`` says which: ``{"mode": "heatmap" | "image", "bin": tokens per column}``."""
    names = list(series)
    fig = make_subplots(
        rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.03, subplot_titles=[gate_title(n) for n in names]
    )
    chars = [display_char(c) for c in labels]
    steps = list(range(len(chars)))
    values = len(names) * len(units) * len(steps)
    if values <= hover_values:
        ticks = _exact_panels(fig, series, names, chars, units)  # a category axis: each step's own label
        meta = {"mode": "heatmap", "bin": 1}
    else:
        width = max(1, -(-values // image_values))  # tokens per column
        _image_panels(fig, series, names, units, width)
        fig.update_xaxes(scaleanchor=False)  # a picture's pixels need not be square: each panel fills its row
        ticks, meta = steps, {"mode": "image", "bin": width}
    tick_every = max(1, len(steps) // 60)
    fig.update_xaxes(tickvals=ticks[::tick_every], ticktext=chars[::tick_every], tickangle=0, row=len(names), col=1)
    fig.update_layout(height=170 * len(names) + 60, margin=dict(l=10, r=10, t=40, b=10), meta=meta)
    return fig


def _signed(name: str) -> bool:
    return name in ("g", "n", "c", "h", "pre", "h_tilde", "y", "gate")  # gate: silu(z), unbounded


def _exact_panels(fig: go.Figure, series: dict, names: list[str], chars: list[str], units: list[int]) -> list[str]:
    """Heatmaps with hover; the x axis names each step and its token (one label a step, not one a cell, so the
    hover needs no per-cell text). Returns those labels."""
    x = [t("charts.step_token", step=step, token=char) for step, char in enumerate(chars)]
    for row, name in enumerate(names, start=1):
        # (units, T), rounded to the hover's three decimals: plain numbers are shorter than float32 in the browser
        z = np.round(np.asarray(series[name], dtype=np.float64)[:, units].T, 3).tolist()
        signed = _signed(name)
        fig.add_trace(
            go.Heatmap(
                name=gate_title(name),
                z=z,
                x=x,
                y=[str(u) for u in units],
                colorscale="RdBu_r" if signed else "Viridis",
                zmid=0 if signed else None,
                zmin=None if signed else 0,
                zmax=None if signed or name in UNBOUNDED else 1,
                showscale=row == 1,
                hovertemplate=t("charts.heatmap_hover", name=name) + "<extra></extra>",
            ),
            row=row,
            col=1,
        )
    fig.update_xaxes(type="category")
    return x


def _image_panels(fig: go.Figure, series: dict, names: list[str], units: list[int], width: int) -> None:
    """Each panel a PNG of the heatmap's colours, ``width`` tokens averaged per column; hover: step and unit."""
    for row, name in enumerate(names, start=1):
        z = np.asarray(series[name], dtype=np.float32)[:, units].T  # (units, T)
        if width > 1:
            pad = -z.shape[1] % width
            padded = np.pad(z, ((0, 0), (0, pad)), mode="edge") if pad else z
            z = padded.reshape(z.shape[0], -1, width).mean(axis=2)
        signed = _signed(name)
        scale = "RdBu_r" if signed else "Viridis"
        top = float(np.abs(z).max()) or 1.0
        low, high = (-top, top) if signed else (0.0, top if name in UNBOUNDED else 1.0)
        fig.add_trace(
            go.Image(
                name=gate_title(name),
                source=_png_source(z, scale, low, high),
                x0=0,
                dx=width,
                y0=units[0],
                dy=1,
                hovertemplate=t("charts.image_hover" if width == 1 else "charts.image_hover_bin", n=width, name=name)
                + "<extra></extra>",
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(autorange="reversed", scaleanchor=False, row=row, col=1)  # no square pixels: fill the row
        if row == 1:  # the colours' key, as the heatmaps have it: a scatter with no points draws only its colour bar
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    showlegend=False,
                    hoverinfo="skip",
                    marker=dict(colorscale=scale, cmin=low, cmax=high, color=[low], showscale=True),
                ),
                row=row,
                col=1,
            )


PNG_LEVELS = 64  # colours per picture: finer than the eye tells apart on a heatmap, and small to send


def _png_source(z: np.ndarray, scale: str, low: float, high: float) -> str:
    """``z`` as an indexed-colour PNG data URI, each value its colour on ``scale`` between ``low`` and ``high``."""
    import base64
    import io

    from PIL import Image
    from plotly.colors import get_colorscale, sample_colorscale

    span = (high - low) or 1.0
    index = np.clip(np.rint((z - low) / span * (PNG_LEVELS - 1)), 0, PNG_LEVELS - 1).astype(np.uint8)
    colours = sample_colorscale(get_colorscale(scale), list(np.linspace(0, 1, PNG_LEVELS)), colortype="tuple")
    palette = np.rint(np.clip(np.array(colours, dtype=float), 0, 1) * 255).astype(np.uint8)
    image = Image.fromarray(index, mode="P")
    image.putpalette(palette.flatten().tolist())
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def activation_html(text: str | list[str], values: list[float], title: str = "") -> str:
    """The text with each token's background coloured by a value in [-1, 1] (blue to red); ``text`` is a string
    (one value per character) or a trace's tokens."""
    spans = []
    for ch, v in zip(text, values):
        v = max(-1.0, min(1.0, float(v)))
        fade = int(255 * (1 - abs(v)))
        colour = f"rgb(255,{fade},{fade})" if v > 0 else f"rgb({fade},{fade},255)"
        shown = "<br>" if ch == "\n" else html.escape(ch).replace(" ", "&nbsp;")
        if len(ch) > 1 and ch.startswith(" "):  # a word's space stays uncoloured, so the colour marks the word
            shown = "&nbsp;" + f'<span title="{v:+.3f}" style="background:{colour}">{html.escape(ch[1:])}</span>'
            spans.append(shown)
            continue
        spans.append(f'<span title="{v:+.3f}" style="background:{colour}">{shown}</span>')
    head = f"<div style='font-size:0.85em;color:#555'>{html.escape(title)}</div>" if title else ""
    return f"{head}<div style='font-family:monospace;line-height:1.6;word-wrap:break-word'>{''.join(spans)}</div>"


def pca_trajectory(points, explained: list[float], labels: list[str]) -> go.Figure:
    """h_t projected on its first principal components, labelled by token, coloured by time: ``points`` is (T, 2) or
    (T, 3), one row per step, and ``explained`` each component's share of the variance (both from
    ``chart_data.pca_projection``); three columns draw in 3-D."""
    points = np.asarray(points, dtype=float)
    if points.ndim != 2:
        raise ValueError(f"points must be (steps, dimensions), not {points.shape}")
    dims = points.shape[1]
    chars = [display_char(c) for c in labels]
    columns = [points[:, d].tolist() for d in range(dims)]  # plain lists: the figure's JSON is as before
    marker = dict(color=list(range(len(points))), colorscale="Viridis", colorbar=dict(title=t("charts.step")), size=5)
    common = dict(
        mode="lines+markers+text",
        text=chars,
        textposition="top center",
        marker=marker,
        line=dict(color="rgba(120,120,120,0.3)"),
        hovertemplate=t("charts.pca_hover") + "<extra></extra>",
    )
    if dims == 3:
        fig = go.Figure(go.Scatter3d(x=columns[0], y=columns[1], z=columns[2], **common))
    else:
        fig = go.Figure(go.Scatter(x=columns[0], y=columns[1], **common))
        fig.update_layout(xaxis_title=f"PC1 ({explained[0]:.0%})", yaxis_title=f"PC2 ({explained[1]:.0%})")
    fig.update_layout(height=480, margin=dict(l=10, r=10, t=30, b=10))
    return fig


def saturation_scatter(saturation: list[dict], layer: int) -> go.Figure:
    """Per unit: fraction of steps right-saturated (> 0.9) against left-saturated (< 0.1), per gate."""
    fig = go.Figure()
    for gate, values in saturation[layer].items():
        fig.add_trace(
            go.Scatter(
                x=values["left"],
                y=values["right"],
                mode="markers",
                name=gate_title(gate),
                text=[t("charts.unit_n", unit=u) for u in range(len(values["left"]))],
                hovertemplate=t("charts.saturation_hover") + "<extra></extra>",
            )
        )
    fig.add_shape(type="line", x0=0, y0=1, x1=1, y1=0, line=dict(color="grey", dash="dot"))
    fig.update_layout(
        xaxis=dict(title=t("charts.left_saturated"), range=[-0.02, 1.02]),
        yaxis=dict(title=t("charts.right_saturated"), range=[-0.02, 1.02]),
        height=420,
        margin=dict(l=10, r=10, t=30, b=10),
    )
    return fig


def loss_per_char_chart(
    series: dict[str, list[float]], text: str | list[str], cursor: int | None = None, unit: str = "char"
) -> go.Figure:
    """Per-token loss (a character, or a word) of several models over the same text, with a shared cursor."""
    fig = go.Figure()
    chars = [display_char(c) for c in text[1:]]
    for name, losses in series.items():
        fig.add_trace(
            go.Scatter(
                y=losses,
                x=list(range(1, len(losses) + 1)),
                name=name,
                mode="lines",
                customdata=chars,
                hovertemplate=t("charts.loss_hover"),
            )
        )
    if cursor is not None:
        fig.add_vline(x=cursor, line=dict(color="black", dash="dot"))
    fig.update_layout(
        xaxis_title=t("charts.position"),
        yaxis_title=t("charts.loss_here", unit=unit),
        height=320,
        margin=dict(l=10, r=10, t=30, b=10),
    )
    return fig

"""Figures of the Classify page: accuracy per variant against the baselines, the confusion matrix, a sentence's
words coloured by attribution or attention, P(class) as a left-to-right model reads, the negation probe, and the
held-out sentences in 2-D."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from rnnviz.charts.styles import INK, model_line
from rnnviz.charts.training import horizontal_lines
from rnnviz.i18n import t


def baseline_name(name: str) -> str:
    """ "bag of words" or "majority class" in the current language."""
    return t(f"classify.baseline.{name.replace(' ', '_')}")


def accuracy_chart(runs: list[dict], baselines: dict[str, float]) -> go.Figure:
    """Validation accuracy (solid) and training-sample accuracy (dotted) per variant; baselines as lines."""
    fig = go.Figure()
    for index, run in enumerate(runs):
        fig.add_trace(
            go.Scatter(
                x=run["steps"],
                y=run["validation_accuracy"],
                name=t("classify.chart.held_out", name=run["name"]),
                **model_line(run["name"], index),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=run["steps"],
                y=run["train_accuracy"],
                name=t("classify.chart.train", name=run["name"]),
                **model_line(run["name"], index, width=1, dash="dot"),
            )
        )
    fig.update_layout(
        xaxis_title=t("charts.step"),
        yaxis_title=t("classify.chart.accuracy"),
        yaxis_range=[0.3, 1.02],
        height=340,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    horizontal_lines(fig, [(value, f"{baseline_name(name)}: {value:.3f}") for name, value in baselines.items()])
    return fig


def confusion_heatmap(matrix: list[list[int]], label_names: list[str], title: str = "") -> go.Figure:
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
            x=label_names,
            y=label_names,
            colorscale="Blues",
            text=matrix,
            texttemplate="%{text}",
            hovertemplate=t("classify.chart.confusion_hover") + "<extra></extra>",
        )
    )
    fig.update_layout(
        title=title or None,
        xaxis_title=t("classify.chart.predicted"),
        yaxis_title=t("classify.chart.true"),
        yaxis_autorange="reversed",
        height=160 + 40 * len(label_names),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return fig


WORD_ALPHA = 0.8  # the strongest background of a word: tests/charts check the text's contrast on it
WORD_INK = INK


def word_colours_html(tokens: list[str], values: list[float], caption: str = "", separator: str = " ") -> str:
    """Each word on vermilion (against the target class) or blue (for it), as strong as its share of the largest
    |value|; ``separator`` "" for character tokens."""
    scale = max((abs(v) for v in values), default=0.0) or 1.0
    spans = []
    for token, value in zip(tokens, values):
        share = min(1.0, abs(value) / scale)
        # blue for, vermillion against (Okabe-Ito: apart for red-green colour blindness), at most WORD_ALPHA strong
        # so the dark text stays above 4.5:1 on either; the value on hover
        alpha = WORD_ALPHA * share
        colour = f"rgba(0,114,178,{alpha:.2f})" if value >= 0 else f"rgba(213,94,0,{alpha:.2f})"
        spans.append(
            f'<span style="background:{colour};color:{WORD_INK};padding:1px 3px;border-radius:3px" '
            f'title="{value:+.3f}">{html.escape(token)}</span>'
        )
    note = f'<div style="font-size:0.8em;color:#666">{html.escape(caption)}</div>' if caption else ""
    return f'<div style="font-size:1.15em;line-height:2">{separator.join(spans)}</div>{note}'


def reading_chart(tokens: list[str], probabilities: list[float], target: str) -> go.Figure:
    """P(target) after each word, as a left-to-right model reads the sentence."""
    positions = list(range(len(tokens)))
    fig = go.Figure(
        go.Scatter(
            x=positions,
            y=probabilities,
            mode="lines+markers",
            name=f"P({target})",
            customdata=tokens,
            hovertemplate=t("classify.chart.after_hover") + "<extra></extra>",
        )
    )
    fig.update_xaxes(tickmode="array", tickvals=positions, ticktext=tokens, tickangle=-45)
    fig.update_layout(
        yaxis_title=t("classify.chart.so_far", target=target),
        yaxis_range=[0, 1],
        height=300,
        margin=dict(l=10, r=10, t=20, b=10),
    )
    horizontal_lines(fig, [(0.5, t("classify.chart.undecided"))])
    return fig


def negation_chart(probes: list[dict]) -> go.Figure:
    """For each model, P(target) of each phrase (filled) and of its negation (open)."""
    fig = go.Figure()
    for probe in probes:
        labels = [pair["phrase"] for pair in probe["pairs"]]
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=[p["p_phrase"] for p in probe["pairs"]],
                mode="markers",
                name=t("classify.chart.phrase", model=probe["model"]),
                marker=dict(size=11),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=[p["p_negated"] for p in probe["pairs"]],
                mode="markers",
                name=t("classify.chart.negated", model=probe["model"]),
                marker=dict(size=11, symbol="circle-open"),
            )
        )
    target = probes[0]["target"] if probes else "class"
    fig.update_layout(
        yaxis_title=f"P({target})",
        yaxis_range=[0, 1],
        height=340,
        margin=dict(l=10, r=10, t=20, b=10),
        legend=dict(orientation="h", y=-0.3),
    )
    return fig


def sentence_map_chart(points: dict, title: str = "") -> go.Figure:
    """Held-out sentence vectors on their two principal components, one colour per true label."""
    fig = go.Figure()
    for label in sorted(set(points["labels"])):
        chosen = [i for i, lab in enumerate(points["labels"]) if lab == label]
        fig.add_trace(
            go.Scattergl(
                x=[points["x"][i] for i in chosen],
                y=[points["y"][i] for i in chosen],
                mode="markers",
                name=label,
                marker=dict(size=5, opacity=0.6),
                customdata=[points["texts"][i][:120] for i in chosen],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    explained = points.get("explained", [0, 0])
    fig.update_layout(
        title=title or None,
        height=420,
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        xaxis_title=t("classify.chart.pc1", share=explained[0]),
        yaxis_title=t("classify.chart.pc2", share=explained[1]),
    )
    return fig

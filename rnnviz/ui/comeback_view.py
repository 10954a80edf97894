"""How the Lessons page draws the results of the lesson "Why attention won, and how recurrence came back"
(``rnnviz/lessons/experiments/comeback.py``): one function per result kind, each a chart and its numbers as a
table, for ``lessons_view.DRAWERS``. They only read the result (a live one's snapshot, partial while it runs)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.charts.comeback import scan_agreement_chart, speed_bar_chart
from rnnviz.charts.gradients import gradient_decay_chart
from rnnviz.charts.scaling import scaling_chart
from rnnviz.i18n import t
from rnnviz.lessons.experiments.comeback import row_name
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.gradients_view import draw_task


def _frame(rows: list[dict], key: str) -> None:
    """Rows keyed by ``lessons.comeback.col.NAME``, shown with those names in the reader's language."""
    named = [{t(f"lessons.comeback.col.{name}"): value for name, value in row.items()} for row in rows]
    st.dataframe(pd.DataFrame(named), hide_index=True, width="stretch", key=key)


def draw_speed(result: dict, state: str) -> None:
    """Training tokens per second at one T, a bar per cell and mode, and the rows as a table."""
    rows = result["rows"]
    if not rows:
        return
    show_chart(speed_bar_chart(rows), key="lesson.speed_chart")
    table = [
        {
            "model": row_name(row, rows),
            "tokens_per_s": f"{row['tokens_per_s']:,.0f}",
            "ratio_to_gru": "" if row["ratio_to_gru"] is None else f"{row['ratio_to_gru']:.2f}",
            "width": row["hidden_size"],
            "parameters": f"{row['parameters']:,}",
            "ms_per_step": f"{row['ms_per_step']:,.0f}",
        }
        for row in rows
    ]
    _frame(table, "lesson.speed_table")


def draw_reach(result: dict, state: str) -> None:
    """The gradient by distance at initialisation (the Transformer's at its input embeddings), and what is left."""
    show_chart(gradient_decay_chart(result["series"], inputs=tuple(result["inputs"])), key="lesson.reach_chart")
    table = [
        {
            "model": row["model"],
            "measured": t(f"lessons.comeback.{row['measured']}"),
            "left": f"{row['left']:.1e}" if row["left"] > 0 else t("lessons.comeback.underflow"),
            "per_step": "" if row["per step"] is None else f"x{row['per step']:.2f}",
            "gate": "" if row["gate"] is None else f"{row['gate']:.2f}",
        }
        for row in result["rows"]
    ]
    _frame(table, "lesson.reach_table")


def draw_budget_task(result: dict, state: str) -> None:
    """The memory task's charts and table, then each model's width and parameters at the shared budget."""
    draw_task(result, state, key="lesson.copy")
    sizes = [
        {"model": size["cell"], "width": size["width"], "parameters": f"{size['parameters']:,}"}
        for size in result["sizes"]
    ]
    _frame(sizes, "lesson.copy_sizes")


def draw_generation(result: dict, state: str) -> None:
    """Generated tokens per second against the position, and the time of a token at each position."""
    show_chart(scaling_chart(result["rows"], "generation"), key="lesson.generation_chart")
    table = [
        {"model": row["label"], "position": f"{row['seq_len']:,}", "ms_per_token": f"{row['ms_per_token']:.2f}"}
        for row in result["rows"]
    ]
    _frame(table, "lesson.generation_table")


def draw_scan(result: dict, state: str) -> None:
    """How far minGRU's parallel scan and its loop are apart at each step, and what each cost."""
    show_chart(scan_agreement_chart(result["per_step"], result["largest_state"]), key="lesson.scan_chart")
    table = [{"way": t(f"charts.scaling_mode.{row['way']}"), "ms": f"{row['ms']:.1f}"} for row in result["rows"]]
    _frame(table, "lesson.scan_table")

"""Every chart of the pages with its text alternative: the chart, one sentence saying what it shows (from the
figure's own data, ``rnnviz/charts/describe.py``), and its data as a table on request.

The table's expander tracks whether it is open (``on_change="rerun"``), so a closed one builds nothing; an open one
lists at most ``TABLE_ROWS`` rows of each series (the last ones) and says so.
"""

from __future__ import annotations

from contextvars import ContextVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from rnnviz.charts import describe
from rnnviz.charts.styles import readable_text
from rnnviz.i18n import t

TABLE_ROWS = 200  # rows of each series in a chart's table: its latest points
# True while a chart is drawn inside a cached function whose elements Streamlit replays to other sessions (class
# mode's published runs, ``ui/class_student.py``): a widget there would be drawn on a cache miss only.
REPLAYED: ContextVar[bool] = ContextVar("replayed", default=False)


def show_chart(figure: go.Figure, *, key: str, summary: str | None = None, container=None) -> None:
    """Draw ``figure`` (``st.plotly_chart(figure, key=key, width="stretch")``, its axis text made readable), then
    its summary as a caption (the given one, or ``describe.summary(figure)``) and an expander with its data as a
    table. ``container`` is where to draw (a column, the sidebar); the page itself by default."""
    place = st if container is None else container
    text = summary if summary is not None else describe.summary(figure)
    readable_text(figure)  # axis text at 4.5:1 instead of the chart theme's grey
    place.plotly_chart(figure, key=key, width="stretch", alt=describe.name(figure))  # a name that does not move
    place.caption(text)
    if REPLAYED.get():  # drawn inside a cached function (a class's published run): no widget, the table built once
        with place.expander(t("describe.table")):
            _table(figure, key)
        return
    expander = place.expander(t("describe.table"), key=f"{key}.table", on_change="rerun")
    if expander.open:
        with expander:
            rows = describe.table(figure, last=TABLE_ROWS)
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}.table_frame")
            if describe.capped(figure, TABLE_ROWS):
                st.caption(t("describe.capped", n=TABLE_ROWS))


def _table(figure: go.Figure, key: str) -> None:
    rows = describe.table(figure, last=TABLE_ROWS)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}.table_frame")
    if describe.capped(figure, TABLE_ROWS):
        st.caption(t("describe.capped", n=TABLE_ROWS))

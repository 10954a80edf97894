"""A chart as a file that opens anywhere: the HTML carries plotly.js itself instead of loading it from a CDN,
so a student behind a firewall (or offline) sees the whole chart (design rule 4)."""

from __future__ import annotations

import plotly.graph_objects as go


def standalone_html(figure: go.Figure) -> str:
    return figure.to_html(include_plotlyjs=True, full_html=True)

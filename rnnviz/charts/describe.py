"""Every chart's text alternative, read from the figure's own data: a one-sentence ``summary`` and its data as a
``table`` (plain rows), both in the current language through ``rnnviz.i18n.t``. Pure: a Plotly figure in, text and
dicts out (no streamlit, no torch), so any chart of ``rnnviz/charts`` is described the same way.

A line (a trace drawn with lines against a rising x) is told by its last value; a cloud of points by its count and
ranges; a heatmap by its size and the range of its values; a picture (``go.Image``) by its size; bars by their
values. A labelled horizontal line (a baseline, a clip, ``add_hline(annotation_text=...)``) is named with its label.
"""

from __future__ import annotations

import base64
import math
import struct

import plotly.graph_objects as go

from rnnviz.i18n import t

NAMED_BARS = 8  # bars named one by one in a summary; beyond, the first ones and how many more
SUMMARY_TRACES = 6  # traces told in a summary; beyond, how many more


def summary(figure: go.Figure) -> str:
    """One sentence: what the chart shows (its title, else its y axis), then each trace's gist."""
    what = _title(figure) or _grid_axes(figure) or _axis_title(figure, "yaxis") or t("describe.chart")
    parts = _line_parts(figure) + [_trace_part(figure, trace, index) for index, trace in _other_traces(figure)]
    parts = [part for part in parts if part]
    if len(parts) > SUMMARY_TRACES:
        parts = parts[:SUMMARY_TRACES] + [t("describe.more", n=len(parts) - SUMMARY_TRACES)]
    marked = [label for label in _marked_lines(figure)]
    if marked:
        parts.append(t("describe.marked", lines=t("describe.and").join(marked)))
    joined = t("describe.then").join(parts)
    sentence = t("describe.sentence", what=what, parts=joined) if parts else t("describe.empty", what=what)
    return sentence[:1].upper() + sentence[1:]  # an axis title starts in lower case; a sentence does not


def name(figure: go.Figure) -> str:
    """A short name that stays put while a live chart grows (its y axis before a title that counts steps): the
    chart's accessible name."""
    title = _title(figure)
    if title and not any(ch.isdigit() for ch in title):
        return title
    return _axis_title(figure, "yaxis") or title or t("describe.chart")


def table(figure: go.Figure, *, last: int | None = None) -> list[dict]:
    """The traces' data as rows (one a point, a bar or a heatmap cell; a picture's size), each named by its trace;
    ``last`` keeps only the last ``last`` rows of each trace."""
    series, x_name, y_name = t("describe.col.series"), _x_name(figure), _y_name(figure)
    rows: list[dict] = []
    for index, trace in enumerate(figure.data):
        name = _name(trace, index)
        kind = trace.type
        if kind in ("heatmap", "histogram2d", "contour"):
            block = _grid_rows(trace, name, series)
        elif kind == "image":
            size = _image_size(trace)
            block = [] if size is None else [{series: name, t("describe.col.size"): f"{size[1]} × {size[0]}"}]
        elif kind in ("scatter3d",):
            xs, ys, zs = _values(trace.x), _values(trace.y), _values(trace.z)
            block = [{series: name, "x": x, "y": y, "z": z} for x, y, z in zip(xs, ys, zs)]
        else:
            xs, ys = _xy(trace)
            block = [{series: name, x_name: x, y_name: y} for x, y in zip(xs, ys) if _present(x) or _present(y)]
        rows.extend(block[-last:] if last else block)
    return rows


def capped(figure: go.Figure, last: int) -> bool:
    """Whether ``table(figure, last=last)`` leaves rows out."""
    return len(table(figure, last=None)) > len(table(figure, last=last))


# -- the parts ---------------------------------------------------------------------------------------------------


def _line_parts(figure: go.Figure) -> list[str]:
    """The lines' last values; lines that end at the same x are told together ("at step 800, LSTM 0.003, ...")."""
    lines = [(index, trace) for index, trace in enumerate(figure.data) if _is_line(trace)]
    ends = []
    for index, trace in lines:
        xs, ys = _xy(trace)
        points = [(x, y) for x, y in zip(xs, ys) if _finite(y)]
        if points:
            ends.append((_name(trace, index), points[-1]))
    if not ends:
        return []
    axis = _axis_title(figure, "xaxis") or t("describe.x")
    values = [t("describe.value", name=name, value=_number(y)) for name, (_, y) in ends]
    if len({_number(x) for _, (x, _) in ends}) == 1:
        return [t("describe.lines_at", axis=axis, x=_number(ends[0][1][0]), values=t("describe.and").join(values))]
    return [t("describe.value_at", name=name, value=_number(y), axis=axis, x=_number(x)) for name, (x, y) in ends]


def _other_traces(figure: go.Figure) -> list[tuple[int, object]]:
    return [(index, trace) for index, trace in enumerate(figure.data) if not _is_line(trace)]


def _trace_part(figure: go.Figure, trace, index: int) -> str | None:
    """A trace's gist, led by its name when it has one (or when the figure has several)."""
    body = _trace_body(figure, trace)
    if body is None:
        return None
    if not getattr(trace, "name", None) and len(figure.data) == 1:
        return body
    return t("describe.named", who=_name(trace, index), say=body)


def _grid_axes(figure: go.Figure) -> str | None:
    """A heatmap's rows against its columns ("true by predicted"), its axes' titles."""
    if not figure.data or figure.data[0].type != "heatmap":
        return None
    y, x = _axis_title(figure, "yaxis"), _axis_title(figure, "xaxis")
    return t("describe.by", rows=y, columns=x) if x and y else None


def _trace_body(figure: go.Figure, trace) -> str | None:
    kind = trace.type
    if kind in ("heatmap", "histogram2d", "contour"):
        z = _grid(trace)
        flat = [v for row in z for v in row if _finite(v)]
        if not flat:
            return None
        columns = max((len(row) for row in z), default=0)
        return t("describe.grid", rows=len(z), columns=columns, low=_number(min(flat)), high=_number(max(flat)))
    if kind == "image":
        size = _image_size(trace)
        return None if size is None else t("describe.picture", rows=size[1], columns=size[0])
    if kind == "bar":
        xs, ys = _xy(trace)
        if trace.orientation == "h":
            xs, ys = ys, xs
        bars = [(x, y) for x, y in zip(xs, ys) if _finite(y)]
        if not bars:
            return None
        shown = [t("describe.value", name=_label(x), value=_number(y)) for x, y in bars[:NAMED_BARS]]
        if len(bars) > NAMED_BARS:
            shown.append(t("describe.more", n=len(bars) - NAMED_BARS))
        return t("describe.and").join(shown)
    if kind == "scatter3d":
        n = len([v for v in _values(trace.x) if _present(v)])
        return t("describe.points_3d", n=n) if n else None
    xs, ys = _xy(trace)
    points = [(x, y) for x, y in zip(xs, ys) if _finite(y)]
    if not points:
        return None  # a colour bar's key, or a trace with nothing drawn yet
    numeric_x = [x for x, _ in points if _finite(x)]
    y_values = [y for _, y in points]
    y_axis = _axis_title(figure, "yaxis") or "y"
    if len(numeric_x) == len(points):
        x_axis = _axis_title(figure, "xaxis") or "x"
        return t(
            "describe.points",
            n=len(points),
            x_axis=x_axis,
            x_low=_number(min(numeric_x)),
            x_high=_number(max(numeric_x)),
            y_axis=y_axis,
            y_low=_number(min(y_values)),
            y_high=_number(max(y_values)),
        )
    return t(
        "describe.labelled_points",
        n=len(points),
        y_axis=y_axis,
        y_low=_number(min(y_values)),
        y_high=_number(max(y_values)),
    )


def _marked_lines(figure: go.Figure) -> list[str]:
    """The labels of horizontal and vertical lines drawn with a label (not the subplot titles, which sit on paper)."""
    labels = []
    for annotation in figure.layout.annotations or ():
        if annotation.text and not (annotation.xref == "paper" and annotation.yref == "paper"):
            labels.append(_plain(annotation.text))
    return labels


# -- reading a figure --------------------------------------------------------------------------------------------


def _title(figure: go.Figure) -> str | None:
    title = figure.layout.title
    return _plain(title.text) if title is not None and title.text else None


def _axis_title(figure: go.Figure, axis: str) -> str | None:
    layout_axis = getattr(figure.layout, axis, None)
    text = layout_axis.title.text if layout_axis is not None and layout_axis.title is not None else None
    return _plain(text) if text else None


def _x_name(figure: go.Figure) -> str:
    return _axis_title(figure, "xaxis") or "x"


def _y_name(figure: go.Figure) -> str:
    name = _axis_title(figure, "yaxis") or "y"
    return name if name != _x_name(figure) else f"{name} (y)"


def _name(trace, index: int) -> str:
    return _plain(trace.name) if getattr(trace, "name", None) else t("describe.series", n=index + 1)


def _is_line(trace) -> bool:
    if trace.type not in ("scatter", "scattergl") or "lines" not in (trace.mode or "lines"):
        return False
    if trace.text is not None and len(_values(trace.text)) and "text" in (trace.mode or ""):
        return False  # a labelled path (a trajectory), not a curve over a rising x
    xs = [x for x in _values(trace.x) if _finite(x)]
    return all(a <= b for a, b in zip(xs, xs[1:]))


def _xy(trace) -> tuple[list, list]:
    ys = _values(trace.y)
    xs = _values(trace.x)
    if not xs and ys:
        xs = list(range(len(ys)))
    if not ys and xs:
        ys = [None] * len(xs)
    return xs, ys


def _grid(trace) -> list[list]:
    z = trace.z
    if z is None:
        return []
    return [_values(row) for row in (z.tolist() if hasattr(z, "tolist") else z)]


def _grid_rows(trace, name: str, series: str) -> list[dict]:
    z = _grid(trace)
    xs, ys = _values(trace.x), _values(trace.y)
    row_name, column_name, value_name = t("describe.col.row"), t("describe.col.column"), t("describe.col.value")
    rows = []
    for r, values in enumerate(z):
        for c, value in enumerate(values):
            rows.append(
                {
                    series: name,
                    row_name: ys[r] if r < len(ys) else r,
                    column_name: xs[c] if c < len(xs) else c,
                    value_name: value,
                }
            )
    return rows


def _image_size(trace) -> tuple[int, int] | None:
    """(width, height) of a ``go.Image``: its PNG source's header, or its ``z``'s shape."""
    source = trace.source or ""
    if source.startswith("data:image/png;base64,"):
        head = base64.b64decode(source.split(",", 1)[1][:44])
        if head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
    z = _grid(trace) if trace.z is not None else []
    return (len(z[0]), len(z)) if z and len(z[0]) else None


def _values(values) -> list:
    if values is None:
        return []
    if hasattr(values, "tolist"):
        return values.tolist()
    return list(values)


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _label(value)
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _label(value) -> str:
    return _plain(str(value))


def _plain(text: str) -> str:
    """A Plotly text without its markup (``<br>``, ``<b>``)."""
    import re

    return re.sub(r"<[^>]+>", " ", str(text)).replace("  ", " ").strip()

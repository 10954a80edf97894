"""The Train page's link rules: how each setting is written in a URL and read back from one.

A teacher shares a link such as ``/Train?preset=vanishing`` or ``/Train?cells=lstm,gru&hidden=64``. Every value
read from a link is checked here: a number outside its bounds is clamped, an unknown name falls back to the default,
cells are named by their registry key; each value that had to be changed comes back as a warning to show
(``rnnviz.i18n.Message``), never an exception. The sidebar reads each value through ``read_field`` as it draws that
setting (``rnnviz/ui/url_state.UrlSettings``: locks, warnings, the share panel); ``from_query_params`` reads a whole
link the same way. No streamlit here: these are plain functions of strings.
"""

from __future__ import annotations

from dataclasses import fields, replace

from rnnviz.cells import ALL_BY_KEY, ALL_BY_LABEL
from rnnviz.i18n import Message
from rnnviz.labs.train_settings import BOUNDS, CHOICES, PRESETS, TrainSettings, url_key

PRESET = "preset"  # the link's starting point: a preset's settings, the single values on top


def write_field(field: str, value) -> str:
    """A setting's value as a link spells it: cells by registry key, booleans as 1 or 0."""
    if field == "cells":
        return ",".join(ALL_BY_LABEL[cell].key for cell in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def read_field(field: str, raw: str, base: TrainSettings) -> tuple[object | None, list[Message]]:
    """A link's value for ``field``, checked: ``(value, warnings)``, the value None (keep ``base``'s) when nothing
    usable was given; a warning for every value that was refused or changed."""
    if field == "cells":
        return _read_cells(raw)
    default = getattr(base, field)
    try:
        value = _parse(raw, default)
    except (ValueError, OverflowError):
        return None, [Message("errors.link.invalid", key=url_key(field), raw=repr(raw))]
    if field in BOUNDS:
        return _clamped(field, raw, value, type(default))
    if field in CHOICES and value not in CHOICES[field]:
        fallback = getattr(TrainSettings(), field)
        return fallback, [Message("errors.link.unknown", name=field, value=repr(value), fallback=fallback)]
    return value, []


def preset_of(params: dict[str, str]) -> tuple[TrainSettings, list[Message]]:
    """The settings a link starts from: its ``?preset=``'s, else the defaults (with a warning for an unknown one)."""
    name = params.get(PRESET)
    if not name:
        return TrainSettings(), []
    if name in PRESETS:
        return PRESETS[name], []
    return TrainSettings(), [Message("errors.link.preset", preset=repr(name))]


def from_query_params(params: dict[str, str]) -> tuple[TrainSettings, list[Message]]:
    """Settings from a whole link (a ``preset`` first, then single values on top), with warnings."""
    settings, warnings = preset_of(params)
    values = {}
    for f in fields(TrainSettings):
        raw = params.get(url_key(f.name))
        if raw is None:
            continue
        value, found = read_field(f.name, raw, settings)
        warnings += found
        if value is not None:
            values[f.name] = value
    return replace(settings, **values), warnings


def to_query_params(settings: TrainSettings, include_defaults: bool = False) -> dict[str, str]:
    """The settings as URL strings: only those that differ from the defaults, unless ``include_defaults``."""
    default = TrainSettings()
    return {
        url_key(f.name): write_field(f.name, getattr(settings, f.name))
        for f in fields(TrainSettings)
        if include_defaults or getattr(settings, f.name) != getattr(default, f.name)
    }


def _parse(raw: str, default):
    """A URL string as the type of the default; ValueError when it is not one."""
    if isinstance(default, bool):
        if raw.lower() not in ("0", "1", "true", "false"):
            raise ValueError
        return raw.lower() in ("1", "true")
    if isinstance(default, int):
        return int(float(raw))
    if isinstance(default, float):
        value = float(raw)
        if value != value:  # NaN
            raise ValueError
        return value
    return raw


def _clamped(field: str, raw: str, value, kind: type) -> tuple[object, list[Message]]:
    """A number within ``BOUNDS``: the nearest bound for one outside them, and a warning that says so."""
    low, high = BOUNDS[field]
    clamped = min(max(value, low), high)
    if clamped == value:
        return kind(value), []
    warning = Message("errors.link.outside", key=url_key(field), raw=raw, low=low, high=high, clamped=clamped)
    return kind(clamped), [warning]


def _read_cells(raw: str) -> tuple[tuple[str, ...] | None, list[Message]]:
    """Cells named by registry key (``lstm,mingru,transformer``, any case; every cell of ``ALL_CELL_KINDS``), each
    once; unknown keys warn, the known ones count."""
    keys = [key.strip().lower() for key in raw.split(",") if key.strip()]
    bad = [key for key in keys if key not in ALL_BY_KEY]
    warnings = [Message("errors.link.cells", bad=bad, known=", ".join(ALL_BY_KEY))] if bad else []
    cells = tuple(dict.fromkeys(ALL_BY_KEY[key].label for key in keys if key in ALL_BY_KEY))
    return cells or None, warnings

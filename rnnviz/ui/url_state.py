"""Lab settings that live in the URL, so every setting has a deep link, and a teacher's "Share with a class" panel
that locks or hides the ones they pick (signed: ``rnnviz/links.py``).

A page makes one ``UrlSettings(page)`` and asks it for each widget: ``settings.select("Task", options, "adding",
"task")``. The value starts from the URL when the URL has a valid one (a bad one warns and falls back to the
default), is written back to the URL when it changes, and is fixed, shown as text or not at all, when a signed link
locks it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from urllib.parse import urlencode

import segno
import streamlit as st

from rnnviz.i18n import t
from rnnviz.links import class_link, read_locks
from rnnviz.ui.language import language_param

PAGE = "page"  # the scope a lab link is signed for


class UrlSettings:
    def __init__(self, page: str):
        self.page = page
        params = dict(st.query_params)
        self.locks = read_locks(params, (PAGE,)) if params.get(PAGE) == page else read_locks({}, ())
        if self.locks.refused:
            st.error(self.locks.refused)
        self.values: dict[str, str] = {}  # url key -> the value as a link writes it
        self.unlockable: dict[str, str] = {}  # in the link too, but not offered for locking (free text, say)

    # -- one widget each ----------------------------------------------------------------------------------------------

    def _value(self, url_key: str, label: str, default, parse: Callable[[str], object], key: str, draw) -> object:
        if url_key in self.locks.locked:
            raw = self.locks.locked[url_key]
            value = _parse_or(parse, raw, default) if raw else default
            if url_key not in self.locks.hidden:
                st.markdown(t("share.set_by_teacher", label=label, value=_show(value)))
        else:
            raw = st.query_params.get(url_key)
            start = default if raw is None else _parse_or(parse, raw, None)
            if start is None:
                st.warning(t("share.bad_link_value", key=url_key, raw=repr(raw), default=_show(default)))
                start = default
            if key not in st.session_state:
                st.session_state[key] = start
            value = draw()
            written = _write(value)
            if written != _write(default):
                st.query_params[url_key] = written
            elif url_key in st.query_params:
                del st.query_params[url_key]
        self.values[url_key] = _write(value)
        return value

    def select(self, label: str, options: Sequence, default, url_key: str, key: str, container=st, **kwargs):
        def parse(raw: str):
            return next(option for option in options if str(option) == raw)

        return self._value(
            url_key, label, default, parse, key, lambda: container.selectbox(label, options, key=key, **kwargs)
        )

    def select_slider(self, label: str, options: Sequence, default, url_key: str, key: str, container=st, **kwargs):
        def parse(raw: str):
            return next(option for option in options if str(option) == raw)

        return self._value(
            url_key, label, default, parse, key, lambda: container.select_slider(label, options, key=key, **kwargs)
        )

    def multiselect(
        self, label: str, options: Sequence, default: Sequence, url_key: str, key: str, container=st, **kwargs
    ) -> list:
        def parse(raw: str) -> list:
            chosen = [part for part in raw.split(",") if part]
            if any(part not in [str(o) for o in options] for part in chosen):
                raise ValueError
            if len(chosen) > kwargs.get("max_selections", len(options)):
                raise ValueError  # more than the widget takes: Streamlit would raise instead of drawing
            return [option for option in options if str(option) in chosen]

        return self._value(
            url_key, label, list(default), parse, key, lambda: container.multiselect(label, options, key=key, **kwargs)
        )

    def number(self, label: str, low, high, default, url_key: str, key: str, container=st, **kwargs):
        kind = type(default)

        def parse(raw: str):
            value = kind(float(raw)) if kind is int else kind(raw)
            if not low <= value <= high or value != value:  # out of range, or NaN
                raise ValueError
            return value

        return self._value(
            url_key, label, default, parse, key, lambda: container.number_input(label, low, high, key=key, **kwargs)
        )

    def slider(self, label: str, low, high, default, url_key: str, key: str, container=st, **kwargs):
        kind = type(default)

        def parse(raw: str):
            value = kind(raw)
            if not low <= value <= high:
                raise ValueError
            return value

        return self._value(
            url_key, label, default, parse, key, lambda: container.slider(label, low, high, key=key, **kwargs)
        )

    def text(
        self,
        label: str,
        default: str,
        url_key: str,
        key: str,
        container=st,
        max_chars: int = 500,
        area: bool = False,
        **kwargs,
    ) -> str:
        """A text box; a text longer than ``max_chars`` stays on the page but out of the link."""

        def parse(raw: str) -> str:
            return raw[:max_chars]

        draw = container.text_area if area else container.text_input
        value = self._value(url_key, label, default, parse, key, lambda: draw(label, key=key, **kwargs))
        if len(value) > max_chars:
            self.values.pop(url_key, None)
            st.query_params.pop(url_key, None)
        return value

    def checkbox(self, label: str, default: bool, url_key: str, key: str, container=st, **kwargs) -> bool:
        def parse(raw: str) -> bool:
            if raw not in ("0", "1"):
                raise ValueError
            return raw == "1"

        return self._value(url_key, label, default, parse, key, lambda: container.checkbox(label, key=key, **kwargs))

    # -- the teacher's panel ---------------------------------------------------------------------------------------

    def share_panel(self) -> None:
        """A link to this page as it is set now, with the settings the teacher picks locked or hidden, and its QR
        code (drawn here, nothing fetched). Not shown to a student who arrived on a locked link."""
        if self.locks.locked or not (self.values or self.unlockable):
            return
        share_panel({PAGE: self.page}, self.values, {**self.unlockable, **self.values}, key=f"share.{self.page}")


def share_panel(
    scope: dict[str, str],
    lockable: dict[str, str],
    params: dict[str, str],
    key: str,
    lock_all: bool = False,
    what: str | None = None,
) -> None:
    """The "Share with a class" panel of every page: the teacher picks which of ``lockable`` to lock (and hide);
    the link carries ``params`` plus the signed locks, and is shown as text and as a QR code drawn here."""
    with st.sidebar.expander(t("share.title")):
        keys = list(lockable)
        locked = st.multiselect(t("share.lock"), keys, default=keys if lock_all else [], key=f"{key}.lock")
        hidden = st.multiselect(t("share.hide"), locked, key=f"{key}.hide")
        link_params = {**params, **language_param(), **class_link(scope, {k: lockable[k] for k in locked}, hidden)}
        link = f"{(st.context.url or '').split('?')[0] or '/'}?{urlencode(link_params)}"
        st.code(link, language=None, wrap_lines=True)
        st.image(qr_png(link), caption=t("share.scan", what=what or t("share.the_page")), width=220)


@lru_cache(maxsize=64)
def qr_png(text: str) -> bytes:
    """The QR code of a link as PNG bytes (cached: the panel is drawn on every rerun of its page)."""
    image = io.BytesIO()
    segno.make(text, error="m").save(image, kind="png", scale=5, border=2)
    return image.getvalue()


def _parse_or(parse: Callable[[str], object], raw: str, fallback):
    try:
        return parse(raw)
    except (ValueError, StopIteration, TypeError):
        return fallback


def _write(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _show(value) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)

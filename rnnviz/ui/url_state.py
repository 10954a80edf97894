"""Settings that live in the URL, so every setting has a deep link, and a teacher's "Share with a class" panel
that locks or hides the ones they pick (signed: ``rnnviz/links.py``). Every page that links its settings (the labs,
Train, the lessons) draws them through this one class.

A page makes one ``UrlSettings(page)`` and asks it for each widget: ``settings.select("Task", options, "adding",
"task", "task.name")``. The value starts from the URL when the URL has a valid one (a bad one warns and falls back),
is written back to the URL when it changes, and is fixed, shown as text or not at all, when a signed link locks it.
A link is signed for a scope: ``?page=NAME`` for a lab, ``?lesson=KEY`` for a lesson (``scope_key="lesson"``).

A page with its own link rules passes them per widget: ``start`` (the value when the link names none: a preset's,
or the session's last), ``read`` (a raw link value to ``(value or None, warnings)``: clamping, aliases, its own
wording) and ``write`` (the value as the link spells it). Train does, through ``rnnviz/ui/train_url.py``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from rnnviz.i18n import t
from rnnviz.links import LinkLocks, class_link, read_locks
from rnnviz.ui.class_entry import lab_teach_panel
from rnnviz.ui.language import language_param
from rnnviz.ui.public_address import public_base_url

PAGE = "page"  # the scope a lab link is signed for

# A link value -> (the value, or None to keep the start; warnings to show). It may raise ValueError, StopIteration
# or TypeError instead, for a value with nothing better to say than "not valid here".
Reader = Callable[[str], tuple[object | None, list[str]]]
Writer = Callable[[object], str]
_START = object()  # no start given: the default


@dataclass(frozen=True)
class _LinkRules:
    """How one setting starts, reads and writes its link value (the widget's defaults, or a page's own)."""

    start: object
    read: Reader
    write: Writer


class UrlSettings:
    """The linked settings of one page (or one lesson): their values, the teacher's locks, and the share panel."""

    def __init__(self, page: str, scope_key: str = PAGE):
        self.page = page
        self.scope_key = scope_key
        self.share_key = f"share.{page}" if scope_key == PAGE else f"{scope_key}.share"  # the panel's widget keys
        params = dict(st.query_params)
        self.locks = read_locks(params, (scope_key,)) if params.get(scope_key) == page else LinkLocks()
        if self.locks.refused:
            st.error(t("share.refused"))  # the page's language, not links.py's English
        self.values: dict[str, str] = {}  # url key -> the value as a link writes it
        self.labels: dict[str, str] = {}  # url key -> its control's label as the page shows it (the share panel's)
        self.unlockable: dict[str, str] = {}  # in the link too, but not offered for locking (free text, say)

    # -- the path every setting takes --------------------------------------------------------------------------------

    def _widget(self, widget, label: str, args: tuple, default, url_key: str, key: str, container, parse, kwargs):
        """Split this module's options (``start``, ``read``, ``write``) from Streamlit's, then take the one path."""
        own = _LinkRules(
            start=kwargs.pop("start", default),
            read=kwargs.pop("read", None) or _plain(parse),
            write=kwargs.pop("write", None) or _write,
        )
        return self._value(
            url_key, label, default, key, container, own, lambda: widget(label, *args, key=key, **kwargs)
        )

    def _value(self, url_key: str, label: str, default, key: str, container, own: _LinkRules, draw) -> object:
        """The setting's value: a teacher's (fixed), or the widget's, started from the link; kept in the link."""
        self.labels[url_key] = label
        if url_key in self.locks.locked:
            value = self._locked(url_key, label, default, own.read, container)
        else:
            start = self._start(url_key, own.read, own.start)
            if key not in st.session_state:
                st.session_state[key] = list(start) if isinstance(start, tuple) else start
            value = draw()
            keep_in_url(url_key, own.write(value), own.write(default))
        self.values[url_key] = own.write(value)
        return value

    def _locked(self, url_key: str, label: str, default, read: Reader, container) -> object:
        """A locked value, shown where its widget would be unless hidden; a refused link's lock (or a locked value
        this page cannot read) holds the default, and says so."""
        raw = self.locks.locked[url_key]
        value = _read_or_none(read, raw)[0] if raw else None
        message = "share.set_by_teacher" if value is not None else "share.locked_default"
        value = default if value is None else value
        if url_key not in self.locks.hidden:
            container.markdown(t(message, label=bare_label(label), value=_show(value)))
        return value

    def _start(self, url_key: str, read: Reader, start) -> object:
        """The link's value when it has a usable one, else ``start``; every warning the reading gave is shown."""
        raw = st.query_params.get(url_key)
        if raw is None:
            return start
        value, warnings = _read_or_none(read, raw)
        if value is None and not warnings:
            warnings = [t("share.bad_link_value", key=url_key, raw=repr(raw), default=_show(start))]
        for warning in warnings:
            st.warning(warning)
        return start if value is None else value

    # -- one widget each: (label, [options | low, high,] default, url key, widget key, container, **options) ----------
    # Every one also takes start=, read= and write= (see the module's docstring); the other options go to Streamlit.

    def select(self, label: str, options: Sequence, default, url_key: str, key: str, container=st, **kwargs):
        widget = container.selectbox
        return self._widget(widget, label, (options,), default, url_key, key, container, _choice(options), kwargs)

    def radio(self, label: str, options: Sequence, default, url_key: str, key: str, container=st, **kwargs):
        widget = container.radio
        return self._widget(widget, label, (options,), default, url_key, key, container, _choice(options), kwargs)

    def segmented(self, label: str, options: Sequence, default, url_key: str, key: str, container=st, **kwargs):
        """A row of buttons, one always chosen: a page's views, of which only the chosen one is built."""
        widget = container.segmented_control
        kwargs.setdefault("required", True)
        return self._widget(widget, label, (options,), default, url_key, key, container, _choice(options), kwargs)

    def select_slider(self, label: str, options: Sequence, default, url_key: str, key: str, container=st, **kwargs):
        widget = container.select_slider
        return self._widget(widget, label, (options,), default, url_key, key, container, _choice(options), kwargs)

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

        widget = container.multiselect
        return self._widget(widget, label, (options,), list(default), url_key, key, container, parse, kwargs)

    def number(self, label: str, low, high, default, url_key: str, key: str, container=st, **kwargs):
        kind = type(default)

        def parse(raw: str):
            value = kind(float(raw)) if kind is int else kind(raw)
            if not low <= value <= high or value != value:  # out of range, or NaN
                raise ValueError
            return value

        widget = container.number_input
        return self._widget(widget, label, (low, high), default, url_key, key, container, parse, kwargs)

    def slider(self, label: str, low, high, default, url_key: str, key: str, container=st, **kwargs):
        kind = type(default)

        def parse(raw: str):
            value = kind(raw)
            if not low <= value <= high:
                raise ValueError
            return value

        widget = container.slider
        return self._widget(widget, label, (low, high), default, url_key, key, container, parse, kwargs)

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

        widget = container.text_area if area else container.text_input
        value = self._widget(widget, label, (), default, url_key, key, container, parse, kwargs)
        if len(value) > max_chars:
            self.values.pop(url_key, None)
            st.query_params.pop(url_key, None)
        return value

    def checkbox(self, label: str, default: bool, url_key: str, key: str, container=st, **kwargs) -> bool:
        def parse(raw: str) -> bool:
            if raw not in ("0", "1"):
                raise ValueError
            return raw == "1"

        return self._widget(container.checkbox, label, (), default, url_key, key, container, parse, kwargs)

    def linked(self, default, url_key: str, *, start=_START, read: Reader | None = None, write: Writer | None = None):
        """A setting whose widget another module draws (Train's corpus picker, which also offers uploads that no
        link can carry): its start from the link, read and warned about like any other, and in the share panel's
        link, but not offered for locking, since this class cannot fix that widget. The caller keeps later choices
        in the URL with ``keep_in_url``."""
        write = write or _write
        value = self._start(url_key, read or _plain(str), default if start is _START else start)
        keep_in_url(url_key, write(value), write(default))
        self.unlockable[url_key] = write(value)
        return value

    # -- the teacher's panel ---------------------------------------------------------------------------------------

    def share_panel(
        self, *, extra_params: dict[str, str] | None = None, lock_all: bool = False, what: str | None = None
    ) -> None:
        """A link to this page (or lesson) as it is set now, with the settings the teacher picks locked or hidden,
        and its QR code (drawn here, nothing fetched). ``extra_params`` travel in the link unsigned and unlockable
        (a lesson's step); ``lock_all`` starts with every setting locked. Not shown to a student who arrived on a
        locked link."""
        extra = extra_params or {}
        if self.locks.locked:
            return
        if self.scope_key == PAGE:  # a lab page: a teacher may start a class on its lessons from here too
            lab_teach_panel(self.page)
        if not (self.values or self.unlockable or extra):
            return
        params = {**extra, **self.unlockable, **self.values}
        _share_panel(
            {self.scope_key: self.page},
            self.values,
            params,
            self.share_key,
            lock_all=lock_all,
            what=what,
            labels=self.labels,
        )


def _share_panel(
    scope: dict[str, str],
    lockable: dict[str, str],
    params: dict[str, str],
    key: str,
    lock_all: bool = False,
    what: str | None = None,
    labels: dict[str, str] | None = None,
) -> None:
    """The "Share with a class" panel of every page: the teacher picks which of ``lockable`` to lock (and hide),
    each named by its control's label on the page (``labels``: url key -> label), in the page's language;
    the link carries ``params`` plus the signed locks, and is shown as text and as a QR code drawn here.
    Every page draws it through ``UrlSettings.share_panel``."""
    labels = labels or {}

    def named(url_key: str) -> str:
        return bare_label(labels.get(url_key, url_key))

    with st.sidebar.expander(t("share.title")):
        keys = list(lockable)
        lock_key, hide_key = f"{key}.lock", f"{key}.hide"
        if lock_key not in st.session_state:
            st.session_state[lock_key] = keys if lock_all else []
        elif any(k not in keys for k in st.session_state[lock_key]):  # a control this run does not draw
            st.session_state[lock_key] = [k for k in st.session_state[lock_key] if k in keys]
        choose = dict(format_func=named, placeholder=t("share.choose"), select_all=False)  # its English: ours
        locked = st.multiselect(t("share.lock"), keys, key=lock_key, **choose)
        st.button(
            t("share.lock_every"),
            key=f"{key}.lock_every",
            disabled=len(locked) == len(keys),
            on_click=_select_all,
            args=(lock_key, keys),
        )
        if any(k not in locked for k in st.session_state.get(hide_key, [])):
            st.session_state[hide_key] = [k for k in st.session_state[hide_key] if k in locked]
        hidden = st.multiselect(t("share.hide"), locked, key=hide_key, **choose)
        link_params = {**params, **language_param(), **class_link(scope, {k: lockable[k] for k in locked}, hidden)}
        address = public_base_url()  # where students reach the app: not the teacher's own 127.0.0.1
        link = f"{address.url.rstrip('/')}{page_path()}?{urlencode(link_params)}"
        st.code(link, language=None, wrap_lines=True)
        st.image(qr_png(link), caption=t("share.scan", what=what or t("share.the_page")), width=220)
        if address.loopback:
            st.warning(t("share.loopback"))
        elif address.source == "network":
            st.caption(t("share.network_address"))


def page_path() -> str:
    """This page's path in the app as the browser asked for it (``/Inspect``), without the server's base path."""
    path = urlsplit(st.context.url or "").path or "/"
    base = "/" + (st.get_option("server.baseUrlPath") or "").strip("/")
    if base != "/" and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    return path


def _select_all(widget_key: str, keys: list[str]) -> None:
    st.session_state[widget_key] = list(keys)


def bare_label(label: str) -> str:
    """A control's label without its own closing punctuation ("r =", "Steps:"), for "label: value" texts."""
    return label.rstrip().rstrip("=:：").rstrip() or label


def keep_in_url(url_key: str, written: str, default: str) -> None:
    """Write a setting to the URL, or take it out when it is at its default (a link names only what differs)."""
    if written != default:
        if st.query_params.get(url_key) != written:
            st.query_params[url_key] = written
    elif url_key in st.query_params:
        del st.query_params[url_key]


@lru_cache(maxsize=64)
def qr_png(text: str) -> bytes:
    """The QR code of a link as PNG bytes (cached: the panel is drawn on every rerun of its page)."""
    image = io.BytesIO()
    segno.make(text, error="m").save(image, kind="png", scale=5, border=2)
    return image.getvalue()


def _plain(parse: Callable[[str], object]) -> Reader:
    return lambda raw: (parse(raw), [])


def _choice(options: Sequence) -> Callable[[str], object]:
    return lambda raw: next(option for option in options if str(option) == raw)


def _read_or_none(read: Reader, raw: str) -> tuple[object | None, list[str]]:
    try:
        return read(raw)
    except (ValueError, StopIteration, TypeError, OverflowError):
        return None, []


def _write(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _show(value) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)

"""The interface's languages: every user-visible string of a translated view comes from one catalogue per language.

The catalogues are TOML files in ``rnnviz/locales/`` (``en.toml``, ``zh.toml``), one table per page or part, so a key
reads like ``train.start``. ``t(key, **values)`` returns the current language's text with ``values`` filled in
(``str.format``); a key missing from a catalogue is a bug that ``tests/test_i18n.py`` catches in both directions.
``glossary.toml`` keeps the terms of the field consistent (循环神经网络, 梯度消失, ...): the Chinese catalogue is
checked against it.

Which language is current: a language set with ``use_language`` (the CLI, tests) comes first; otherwise the UI's
provider (``set_language_source``: the session's choice, kept in ``?lang=``); otherwise English. The backend only
calls ``t``; it never needs to know where the choice came from.
"""

from __future__ import annotations

import contextvars
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT = "en"
_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("rnnviz_language", default=None)
_source: Callable[[], str | None] | None = None


def set_language_source(source: Callable[[], str | None] | None) -> Callable[[], str | None] | None:
    """Where the current language comes from when none was set here (the UI: the session's choice); returns the
    source it replaces."""
    global _source
    previous, _source = _source, source
    return previous


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Everything ``t`` returns inside the block is in ``language``."""
    token = _chosen.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _chosen.reset(token)


def current_language() -> str:
    chosen = _chosen.get()
    if chosen:
        return chosen
    if _source is not None:
        try:
            language = _source()
        except Exception:  # a provider outside its context (a background thread) means the default
            language = None
        if language in LANGUAGES:
            return language
    return DEFAULT


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(language: str) -> dict[str, str]:
    """Every key of ``language``'s catalogue, flattened to dotted names."""
    text = (files("rnnviz") / "locales" / f"{language}.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(text))


@cache
def glossary() -> dict[str, str]:
    """English term -> the Chinese term every page uses for it (``glossary.toml``'s ``[terms]``)."""
    text = (files("rnnviz") / "locales" / "glossary.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text)["terms"])


def t(key: str, /, **values) -> str:
    """The text of ``key`` in the current language, ``values`` filled in; English where the key is missing (the
    catalogue test fails on that), and the key itself where English lacks it too."""
    return text_in(current_language(), key, **values)


def text_in(language: str, key: str, /, **values) -> str:
    text = catalogue(language).get(key)
    if text is None:
        text = catalogue(DEFAULT).get(key, key)
    return text.format(**values)  # always: a literal brace is written {{ or }} in every catalogue text


def labeller(prefix: str, fallback: str | None = None) -> Callable[[str], str]:
    """A widget's ``format_func``: option ``o`` shown as ``t(prefix + o)`` in the language current now (the function
    may be called later, outside this page's run), or as ``t(fallback)`` when the catalogue has no such key."""
    language = current_language()

    def label(option) -> str:
        key = f"{prefix}{option}"
        if fallback is not None and key not in catalogue(DEFAULT):
            return text_in(language, fallback)
        return text_in(language, key)

    return label


class Message(str):
    """A message made where the language is not known (a training thread, a check deep in the backend), shown where
    it is: the string itself is the English text (so logs, JSON and tests read English), while ``str(message)``,
    ``f"{message}"`` and an exception carrying it answer in the language current at that moment.

    ``raise ConfigError(Message("errors.key", n=3))``; the key's text is in every catalogue like any other."""

    key: str
    values: dict

    def __new__(cls, key: str, /, **values) -> Message:
        message = super().__new__(cls, text_in(DEFAULT, key, **values))
        message.key, message.values = key, values
        return message

    def __str__(self) -> str:
        return t(self.key, **self.values)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __reduce__(self):  # copies and pickles keep the key, not only the English
        return (_message, (self.key, self.values))


def _message(key: str, values: dict) -> Message:
    return Message(key, **values)


def column_namer(prefix: str) -> Callable[[str], str]:
    """For ``DataFrame.rename(columns=...)``: a column named in the catalogue under ``prefix`` in the current language,
    any other (a cell's or an entity type's name) as it is."""
    english = catalogue(DEFAULT)
    return lambda column: t(f"{prefix}{column}") if f"{prefix}{column}" in english else column

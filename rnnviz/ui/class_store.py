"""The class database as the pages reach it: one ``ClassStore`` per server process, and every refusal or outage in
the reader's language.

The store is opened on first use, not at import: a database that is down must not stop a lab page from loading,
and one that comes back is found on the next try (``st.cache_resource`` keeps only a store that opened).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from rnnviz.classroom import ClassError, ClassroomSettings, ClassStore, StoreUnavailable
from rnnviz.i18n import t

T = TypeVar("T")
LOG = logging.getLogger(__name__)
ERROR_REASONS = (  # ClassError reasons the pages can meet: class.error.REASON in every catalogue
    "bad_code",
    "unknown_class",
    "closed",
    "expired",
    "not_teacher",
    "unknown_member",
    "full",
    "revealed",
    "not_answering",
    "bad_option",
)


SHARED_READ_S = 0.5  # within a poll's second: a new snapshot or step still reaches every student within 2 s


@st.cache_resource(show_spinner=False)
def class_store() -> ClassStore:
    """This process's store (SQLite in the cache folder, or ``$RNNVIZ_DATABASE_URL``; a class's life from
    ``$RNNVIZ_CLASS_HOURS``). Classes whose time is up are deleted when the store opens and whenever a class is
    made (``class_entry.start_class``), unless their teacher kept them. The sessions of this process share the
    answers to the two reads every student's page polls for half a second (``ClassroomSettings.shared_read_s``)."""
    settings = dataclasses.replace(ClassroomSettings.from_environment(), shared_read_s=SHARED_READ_S)
    store = ClassStore(settings=settings)
    store.purge_expired()
    return store


def error_words(error: ClassError) -> str:
    """A refusal in the reader's language (its reason, never the English message)."""
    reason = error.reason if error.reason in ERROR_REASONS else "other"
    return t(f"class.error.{reason}")


def attempt(action: Callable[[], T]) -> tuple[T | None, str | None]:
    """``action()`` against the store: ``(its value, None)``, or ``(None, the words to show)`` for a refusal or an
    outage (logged with its cause; a student sees no file path or server address)."""
    try:
        return action(), None
    except ClassError as error:
        return None, error_words(error)
    except StoreUnavailable as error:
        LOG.warning("class database unavailable: %s", error)
        return None, t("class.unavailable")


def store_or_none() -> ClassStore | None:
    """The store, or None (with the outage shown) when the database cannot be used."""
    store, problem = attempt(class_store)
    if problem:
        st.error(problem)
    return store

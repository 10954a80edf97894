"""The language switch in every page's sidebar (English / 简体中文), kept in the session and in ``?lang=``.

Makes the session's choice ``rnnviz.i18n``'s language source (on every page's first line), so ``t()`` anywhere
below the UI (charts, messages) answers in the language this browser tab picked; a thread with no script context
(background training) gets English.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from rnnviz.i18n import DEFAULT, LANGUAGES, set_language_source

LANG_KEY = "rnnviz.lang"  # the session's language, kept across pages
WIDGET_KEY = "rnnviz.lang.widget"
UNKNOWN_KEY = "rnnviz.lang.unknown"  # a link's language that is not offered, reported once


def session_language() -> str | None:
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(LANG_KEY)


def language_param() -> dict[str, str]:
    """The ``lang`` query parameter to keep when a page rewrites its URL (none for English)."""
    language = st.session_state.get(LANG_KEY, DEFAULT)
    return {} if language == DEFAULT else {"lang": language}


def _chosen() -> None:
    st.session_state[LANG_KEY] = st.session_state[WIDGET_KEY]


def init_language() -> None:
    """On a session's first run the link's ``?lang=`` decides (an unknown one means English); then the session."""
    set_language_source(session_language)  # every run: nothing else in the process can leave it unset
    if LANG_KEY not in st.session_state:
        linked = st.query_params.get("lang")
        st.session_state[LANG_KEY] = linked if linked in LANGUAGES else DEFAULT
        if linked is not None and linked not in LANGUAGES:
            st.session_state[UNKNOWN_KEY] = linked


def language_switch() -> None:
    """The sidebar's switch, and the choice written to the URL."""
    init_language()
    st.session_state[WIDGET_KEY] = st.session_state[LANG_KEY]
    st.sidebar.radio(
        "Language / 语言",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        horizontal=True,
        key=WIDGET_KEY,
        on_change=_chosen,
    )
    if UNKNOWN_KEY in st.session_state:
        shown = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        st.warning(f"?lang={st.session_state.pop(UNKNOWN_KEY)!r}: unknown language / 未知语言; {shown}.")
    language = st.session_state[LANG_KEY]
    if language == DEFAULT:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != language:
        st.query_params["lang"] = language

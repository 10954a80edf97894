"""A "Server status" panel on the home page: is the shared server giving back what closed tabs used?"""

from __future__ import annotations

import streamlit as st

from rnnviz.i18n import t
from rnnviz.live.diagnostics import snapshot
from rnnviz.live.worker import TRAINING_SLOTS, steps_of_live_runs


def streamlit_session_count() -> int | None:
    """Sessions the Streamlit server still keeps (connected or within ``disconnectedSessionTTL``); None if unknown.

    Reads a private attribute of Streamlit's runtime, so any change there degrades to "unknown", never to an error.
    """
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance()._session_mgr.num_sessions()
    except Exception:  # noqa: BLE001 - a diagnostic must never break the page
        return None


STATUS_KEY = "server_status"  # open or closed, and a link's ``?server_status=true`` opens it (the load test's)


def render_server_status() -> None:
    """The counts walk the whole heap (every object the process holds, to find the models still referenced), with
    the interpreter lock held: only while a teacher has the panel open, never on a student's visit to Home."""
    panel = st.expander(t("status.title"), key=STATUS_KEY, on_change="rerun", bind="query-params")
    if not panel.open:
        return
    with panel:
        now = snapshot(collect=False)  # a full collection holds the interpreter lock ~170 ms: not on every view
        sessions = streamlit_session_count()
        st.markdown(
            t(
                "status.counts",
                sessions=t("status.unknown") if sessions is None else sessions,
                training_threads=now.training_threads,
                live_models=now.live_models,
                mb=now.live_parameters_mb,
                rss=now.rss_mb,
                threads=now.threads,
                busy=TRAINING_SLOTS.busy,
                slots=TRAINING_SLOTS.slots,
                waiting=TRAINING_SLOTS.waiting,
            )
        )
        steps = steps_of_live_runs()
        if steps:
            st.markdown(t("status.steps") + ", ".join(f"{n:,}" for n in steps))
        st.caption(t("status.caption"))

"""A "Server status" panel on the home page: is the shared server giving back what closed tabs used?"""

from __future__ import annotations

import streamlit as st

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


def render_server_status() -> None:
    with st.expander("Server status", expanded=False):
        now = snapshot(collect=False)  # a full collection holds the interpreter lock ~170 ms: not on every view
        sessions = streamlit_session_count()
        st.markdown(
            f"Sessions: **{'unknown' if sessions is None else sessions}** · "
            f"training threads: **{now.training_threads}** · live models: **{now.live_models}** "
            f"({now.live_parameters_mb:.1f} MB of weights) · resident memory: **{now.rss_mb:.0f} MB** · "
            f"threads: **{now.threads}** · training slots: **{TRAINING_SLOTS.busy} busy of {TRAINING_SLOTS.slots}**, "
            f"{TRAINING_SLOTS.waiting} runs waiting their turn"
        )
        steps = steps_of_live_runs()
        if steps:
            st.markdown("Steps done by each live run (every cell counted): " + ", ".join(f"{n:,}" for n in steps))
        st.caption(
            "A closed tab's training pauses after a while unwatched, its thread ends, and Streamlit drops the "
            "session after `server.disconnectedSessionTTL` seconds; then its models leave this count."
        )

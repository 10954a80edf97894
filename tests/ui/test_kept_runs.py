"""A reload opens a new Streamlit session: behind the proxy's per-browser cookie it takes its run over, and the old
session's janitor leaves that run alone."""

from __future__ import annotations

from apptest_helpers import open_page

from rnnviz.ui import kept_runs, live
from rnnviz.ui.session_cleanup import release_session


class _State:
    """What the janitor sees of a session: its values, deletable."""

    def __init__(self, values: dict):
        self.values = dict(values)

    @property
    def filtered_state(self) -> dict:
        return dict(self.values)  # a copy, as Streamlit's is

    def __delitem__(self, key):
        del self.values[key]


class _Media:
    def clear_session_refs(self, session_id):
        pass

    def remove_orphaned_files(self):
        pass


def test_a_reload_takes_the_run_over_and_the_old_session_leaves_it_training(monkeypatch):
    monkeypatch.setattr(kept_runs, "client_key", lambda: "browser-1")
    session = {"id": "first tab"}  # AppTest gives every session the same id; a browser's reload would not
    monkeypatch.setattr(live, "session_id", lambda: session["id"])
    first = open_page("5_Attention.py", {"hidden": "32", "steps": "5000"})
    first.button(key="attn.start").click().run()
    run = first.session_state["attn.run"]
    assert run.worker.wait_for_steps(2, timeout=60)
    old_owner = run.owner
    session["id"] = "after the reload"
    reloaded = open_page("5_Attention.py", {"hidden": "32", "steps": "5000"})  # the same browser, a new session
    assert reloaded.session_state["attn.run"] is run and (old_owner, run.owner) == ("first tab", "after the reload")
    assert not reloaded.exception and run.status == "running"
    release_session(old_owner, _State({"attn.run": run}), media=_Media(), forget=kept_runs.forget)
    assert run.worker.running and kept_runs.count() >= 1  # the new session owns it now
    release_session(run.owner, _State({"attn.run": run}), media=_Media(), forget=kept_runs.forget)
    assert not run.worker.alive or run.worker.stopped  # its last session gone for good: stopped and forgotten
    assert kept_runs.take("browser-1", "attn.run", None) is None


def test_without_the_cookie_a_new_session_starts_afresh(monkeypatch):
    monkeypatch.setattr(kept_runs, "client_key", lambda: None)
    first = open_page("5_Attention.py", {"hidden": "32", "steps": "5000"})
    first.button(key="attn.start").click().run()
    run = first.session_state["attn.run"]
    other = open_page("5_Attention.py")
    assert "attn.run" not in other.session_state
    first.button(key="attn.stop").click().run()
    assert not run.worker.running

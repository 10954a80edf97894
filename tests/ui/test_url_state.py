"""``UrlSettings`` on its own (AppTest of a small script): a scope other than ``?page=``, as a lesson uses it, and
the options a page with its own link rules passes (``start``, ``read``, ``write``)."""

from streamlit.testing.v1 import AppTest

from rnnviz.links import class_link


def lesson_script():
    import streamlit as st

    from rnnviz.ui.url_state import UrlSettings

    url = UrlSettings("forgetting", scope_key="lesson")
    gap = url.select_slider("Gap", [10, 50, 100], 50, "gap", "lesson.control.gap")
    cell = url.radio("Cell", ["RNN", "LSTM"], "RNN", "cell", "lesson.control.cell")
    st.session_state["seen"] = (gap, cell)
    url.share_panel(extra_params={"step": "2"}, lock_all=True, what="this step")


def own_rules_script():
    import streamlit as st

    from rnnviz.ui.url_state import UrlSettings

    def read(raw: str):
        value = int(raw)
        return min(value, 9), [f"{raw} clamped"] if value > 9 else []

    url = UrlSettings("Demo")
    st.session_state["seen"] = url.number("N", 0, 9, 1, "n", "demo.n", start=4, read=read, write=lambda v: f"{v}")


def run(script, params: dict[str, str]) -> AppTest:
    at = AppTest.from_function(script, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_lesson_scope_reads_its_own_signed_locks():
    params = class_link({"lesson": "forgetting"}, {"gap": "100"}, [])
    at = run(lesson_script, {**params, "step": "2"})
    assert not at.exception and at.session_state["seen"] == (100, "RNN")
    assert "Gap: **100** (set by your teacher)" in [m.value for m in at.markdown]
    assert not at.sidebar.expander  # a student gets the step, not the sharing tools
    other = run(lesson_script, class_link({"lesson": "attention"}, {"gap": "100"}, []))
    assert other.select_slider(key="lesson.control.gap").value == 100  # a plain value: another lesson's lock
    assert not other.markdown and other.sidebar.expander


def test_a_lesson_share_panel_locks_every_control_and_keeps_the_step():
    at = run(lesson_script, {"lesson": "forgetting", "cell": "LSTM"})
    assert at.session_state["seen"] == (50, "LSTM")
    assert at.sidebar.multiselect(key="lesson.share.lock").value == ["gap", "cell"]
    link = at.sidebar.code[-1].value
    assert "lesson=forgetting" in link and "step=2" in link and "lock=cell%2Cgap" in link and "sig=" in link


def test_a_tampered_lesson_link_is_refused_and_holds_the_defaults():
    params = class_link({"lesson": "forgetting"}, {"gap": "100"}, [])
    at = run(lesson_script, {**params, "gap": "10"})
    assert "changed after your teacher made it" in at.error[0].value and at.session_state["seen"] == (50, "RNN")


def test_a_page_s_own_rules_start_read_and_warn():
    assert run(own_rules_script, {}).session_state["seen"] == 4  # the start, not the default
    at = run(own_rules_script, {"n": "12"})
    assert at.session_state["seen"] == 9 and at.warning[0].value == "12 clamped" and at.query_params["n"] == "9"
    bad = run(own_rules_script, {"n": "x"})
    assert bad.session_state["seen"] == 4 and "n='x' is not valid here; using 4" in bad.warning[0].value

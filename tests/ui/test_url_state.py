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


def chinese_script():
    import streamlit as st

    from rnnviz.i18n import use_language
    from rnnviz.ui.url_state import UrlSettings

    with use_language("zh"):
        url = UrlSettings("Demo")
        st.session_state["seen"] = url.slider("r =", 0.0, 2.0, 0.9, "radius", "demo.radius")
        url.number("序列长度", 1, 500, 50, "seq_len", "demo.seq_len")
        url.share_panel()


def test_the_share_panel_names_the_controls_as_the_page_does_in_its_language():
    at = run(chinese_script, {})
    lock = at.sidebar.multiselect(key="share.Demo.lock")
    assert lock.options == ["r", "序列长度"] and lock.value == []  # labels, not url keys; no closing "="
    assert at.sidebar.button(key="share.Demo.lock_every").label == "全选"
    assert lock.proto.placeholder == "选择设置" and not lock.proto.select_all  # Streamlit's English "Select all" off
    at.sidebar.button(key="share.Demo.lock_every").click().run()
    assert at.sidebar.multiselect(key="share.Demo.lock").value == ["radius", "seq_len"]
    assert at.sidebar.button(key="share.Demo.lock_every").disabled
    at.sidebar.multiselect(key="share.Demo.hide").set_value(["seq_len"]).run()
    at.sidebar.multiselect(key="share.Demo.lock").set_value(["radius"]).run()  # unlocked: no longer hidden
    assert at.sidebar.multiselect(key="share.Demo.hide").value == [] and not at.exception
    assert "lock=radius" in at.sidebar.code[-1].value and "hide" not in at.sidebar.code[-1].value


def test_a_locked_value_reads_without_double_punctuation_and_a_refused_one_says_default():
    params = class_link({"page": "Demo"}, {"radius": "0.5"}, [])
    at = run(chinese_script, params)
    assert at.session_state["seen"] == 0.5 and at.markdown[0].value == "r：**0.5**（由老师设定）"
    tampered = run(chinese_script, {**params, "radius": "1.5"})
    assert tampered.error[0].value.startswith("这个链接在老师生成之后被改动过")  # the page's language
    assert tampered.session_state["seen"] == 0.9
    assert tampered.markdown[0].value == "r：**0.9**（默认值：这个链接的锁定被拒绝了）"  # not "set by your teacher"

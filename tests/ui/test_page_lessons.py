"""Every lesson walked in AppTest with tiny settings: predict, run, reveal, next; then the check questions."""

import pytest
from apptest_helpers import open_page, texts
from helpers import tiny

from rnnviz.lessons.catalogue import LESSONS


@pytest.fixture
def tiny_lessons(monkeypatch):
    """The lessons with every experiment shrunk to seconds, as the page sees them."""
    for key, lesson in list(LESSONS.items()):
        monkeypatch.setitem(LESSONS, key, tiny(lesson))


def test_the_lesson_list_links_every_lesson():
    at = open_page("0_Lessons.py")
    assert not at.exception and at.title[0].value == "Lessons"
    for key in LESSONS:
        assert at.button(key=f"lesson.start.{key}")
    at.button(key="lesson.start.forgetting").click().run()
    assert (
        at.query_params["lesson"] in (["forgetting"], "forgetting") and at.title[0].value == "Why a plain RNN forgets"
    )


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_walk_a_lesson(key, tiny_lessons):
    lesson = LESSONS[key]
    at = open_page("0_Lessons.py", {"lesson": key, "step": "1"})
    for number, step in enumerate(lesson.steps, start=1):
        assert not at.exception, (key, number)
        assert at.subheader[0].value == step.title
        assert at.button(key="lesson.lock").disabled  # no run before a prediction
        assert not [b for b in at.button if b.key == "lesson.start_run"]
        at.radio(key=f"lesson.q.{key}.{step.key}").set_value(step.question.options[0]).run()
        at.button(key="lesson.lock").click().run()
        assert f"Your prediction: **{step.question.options[0]}**" in texts(at, "info")
        if [b for b in at.button if b.key == "lesson.start_run"]:  # a live experiment
            at.button(key="lesson.start_run").click().run()
            assert at.session_state["lesson.run"].worker.settled.wait(timeout=60), (key, step.key)
            at.run()
        assert not at.exception, (key, number)
        revealed = texts(at, "success") + texts(at, "warning")
        assert "the answer is" in revealed, (key, step.key)
        assert "What this run measured" in texts(at, "markdown")
        at.button(key="lesson.next").click().run()
    assert at.subheader[0].value == "Check what you learned"
    for number, question in enumerate(lesson.checks, start=1):
        at.radio(key=f"lesson.check.{key}.{number}").set_value(question.options[question.answer]).run()
    assert texts(at, "success").count("Right.") == len(lesson.checks)
    assert at.get("download_button")


def test_a_step_keeps_its_result_and_moving_between_steps_runs_nothing(tiny_lessons):
    at = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "1"})
    at.radio(key="lesson.q.forgetting.bptt").set_value("about half").run()
    at.button(key="lesson.lock").click().run()
    assert "Not this time" in texts(at, "warning")  # the answer was "less than a millionth"
    at.button(key="lesson.next").click().run()
    at.button(key="lesson.previous").click().run()
    assert "Not this time" in texts(at, "warning") and at.button(key="lesson.again")


def test_deep_links_carry_the_controls_and_bad_values_warn():
    at = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "2", "radius": "0.5"})
    assert at.select_slider(key="lesson.control.identity.radius").value == 0.5
    at = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "2", "radius": "7"})
    assert "is not one of" in texts(at, "warning") and not at.exception
    at = open_page("0_Lessons.py", {"lesson": "nope"})
    assert "There is no lesson" in texts(at, "warning") and at.title[0].value == "Lessons"
    at = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "adding"})  # a step named by its key
    assert at.subheader[0].value == LESSONS["forgetting"].steps[-1].title
    at = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "99"})
    assert "not a step" in texts(at, "warning") and at.subheader[0].value == LESSONS["forgetting"].steps[0].title


def test_share_panel_builds_a_locked_link_with_a_qr_code_and_students_cannot_move_it():
    from rnnviz.links import read_locks

    at = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "2", "radius": "0.7"})
    assert at.sidebar.expander[-1].label == "Share with a class"
    link = at.sidebar.code[-1].value
    assert "lock=radius" in link and "radius=0.7" in link and "sig=" in link
    assert "step=identity" in link  # the step by its key: a step added before it later moves no link
    assert at.sidebar.get("image")  # the QR code, drawn by segno on the server
    from urllib.parse import parse_qsl, urlparse

    params = dict(parse_qsl(urlparse(link).query))
    assert read_locks(params, ("lesson",)).locked == {"radius": "0.7"}

    student = open_page("0_Lessons.py", params)
    assert not student.exception and "set by your teacher" in texts(student, "markdown")
    assert not [s for s in student.select_slider if s.key == "lesson.control.identity.radius"]  # nothing to move
    assert not [e for e in student.sidebar.expander if e.label == "Share with a class"]
    assert "With W_hh = 0.7 I, how much" in texts(student, "markdown")  # the question asks about the locked value
    student.radio(key="lesson.q.forgetting.identity").set_value("between a millionth and 1%").run()
    student.button(key="lesson.lock").click().run()
    assert "W_hh = 0.7 I" in texts(student, "markdown")  # the run used the teacher's value
    # 0.7^50 is below a millionth: the right answer follows the locked value, not the default's
    assert "the answer is **less than a millionth**" in texts(student, "warning")

    tampered = open_page("0_Lessons.py", {**params, "radius": "1.0"})
    assert "changed after your teacher made it" in texts(tampered, "error")
    assert "0.9** (the default: this link's lock was refused)" in texts(tampered, "markdown")  # not the typed 1.0

    hidden = dict(params, hide="radius")
    hidden["sig"] = __import__("rnnviz.links", fromlist=["class_link"]).class_link(
        {"lesson": "forgetting"}, {"radius": "0.7"}, ["radius"]
    )["sig"]
    student = open_page("0_Lessons.py", hidden)
    assert "set by your teacher" not in texts(student, "markdown") and not student.exception


def test_moving_between_steps_keeps_a_teachers_locks():
    from rnnviz.links import class_link

    params = {**class_link({"lesson": "forgetting"}, {"forget_bias": "1.0"}, []), "step": "4"}
    at = open_page("0_Lessons.py", params)
    assert "1.0** (set by your teacher)" in texts(at, "markdown")
    at.button(key="lesson.previous").click().run()
    at.button(key="lesson.next").click().run()
    assert "1.0** (set by your teacher)" in texts(at, "markdown") and not texts(at, "error")


def test_every_experiment_kind_has_a_drawing_function():
    from rnnviz.lessons.experiments import EXPERIMENTS
    from rnnviz.ui.lessons_view import DRAWERS

    assert {experiment.kind for experiment in EXPERIMENTS.values()} == set(DRAWERS)


def test_a_locked_value_changes_the_right_answer_and_the_verdict_comes_first():
    from rnnviz.links import class_link

    params = {**class_link({"lesson": "forgetting"}, {"radius": "0.5"}, []), "step": "2"}
    at = open_page("0_Lessons.py", params)
    assert "With W_hh = 0.5 I" in texts(at, "markdown") and "This run uses r = 0.5." in texts(at, "markdown")
    at.radio(key="lesson.q.forgetting.identity").set_value("less than a millionth").run()
    at.button(key="lesson.lock").click().run()
    assert "You were right" in texts(at, "success"), texts(at, "success")
    elements = [e.type for e in at.main if e.type in ("success", "warning", "plotly_chart", "dataframe")]
    assert elements[:3] == ["success", "plotly_chart", "dataframe"]  # the verdict sits above the chart and table


def test_the_decay_table_says_what_is_left_also_when_float32_ran_out():
    from rnnviz.ui.lessons_view import _left

    assert _left(2.5e-7) == "2e-07"
    assert "float32" in _left(0.0)  # it was a blank cell, read as "not measured"
    assert _left(None) == ""  # a run shorter than 50 steps

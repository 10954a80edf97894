"""Class mode in AppTest: a teacher and three students walk a lesson step from join to reveal through one database,
each an AppTest of its own (as each is a browser session of its own), with a reload, a live step that trains only on
the teacher's side, and the refusals a student can meet."""

from __future__ import annotations

import csv
import io

import pytest
from apptest_helpers import open_page, plotly_specs, texts
from helpers import tiny

from rnnviz.classroom import ClassStore
from rnnviz.lessons.catalogue import LESSONS
from rnnviz.ui import class_common
from rnnviz.ui.class_store import class_store
from rnnviz.ui.class_teacher import answers_csv

LESSON = LESSONS["forgetting"]
BPTT = LESSON.steps[0]  # instant: gradient decay at initialisation; right answer "less than a millionth"
ADDING = next(index for index, step in enumerate(LESSON.steps) if step.experiment.live)


@pytest.fixture
def database(tmp_path, monkeypatch):
    """A class database of this test's own, which every AppTest of the test shares (one server process)."""
    url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    monkeypatch.setenv("RNNVIZ_DATABASE_URL", url)
    monkeypatch.setenv("RNNVIZ_PUBLIC_URL", "http://rnnviz.school.example:8501")
    monkeypatch.setitem(LESSONS, "forgetting", tiny(LESSON))
    class_store.clear()
    yield url
    class_store.clear()


def has_button(at, key: str) -> bool:
    return any(button.key == key for button in at.button)


def param(at, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def start_as_teacher():
    at = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "1"})
    at.button(key="class.teach").click().run()
    assert not at.exception
    return at, param(at, "class"), param(at, "teacher")


def join(code: str, nickname: str):
    at = open_page("0_Lessons.py", {"class": code})
    assert at.button(key="class.join")
    at.text_input(key="class.nickname").set_value(nickname)
    at.button(key="class.join").click().run()
    assert not at.exception
    return at


def answer(at, code: str, question: str, option: str):
    at.radio(key=f"class.q.{code}.{question}").set_value(option).run()
    at.button(key=f"class.lock.{question}").click().run()
    assert not at.exception


def test_a_teacher_and_three_students_walk_a_step_from_join_to_reveal(database):
    teacher, code, secret = start_as_teacher()
    assert len(code) == 6 and secret not in code
    assert "http://rnnviz.school.example:8501/Lessons?class=" + code in texts(teacher, "code")
    assert not texts(teacher, "warning")  # a public address is configured: no loopback warning
    students = [join(code, name) for name in ("Ada", "Bo", "<b>Cy</b>")]
    assert all(student.subheader[0].value == BPTT.title for student in students)
    assert "Waiting for your teacher" in texts(students[0], "info")
    options = BPTT.question.options
    answer(students[0], code, "bptt", options[0])
    answer(students[1], code, "bptt", options[0])
    answer(students[1], code, "bptt", options[-1])  # changed: the last answer before the reveal counts
    answer(students[2], code, "bptt", options[1])
    assert "Your answer is in" in texts(students[1], "success")

    teacher.run()
    assert "3 joined · 3 answered" in texts(teacher, "markdown")
    assert not teacher.get("plotly_chart")  # the spread is the teacher's choice, and no run yet
    teacher.button(key="class.run_instant").click().run()
    assert not teacher.exception and teacher.button(key="class.reveal")
    for student in students:
        student.run()
        assert "waiting for your teacher to reveal" in texts(student, "info")
        assert plotly_specs(student)  # the teacher's result, read from the database
        assert "the answer is" not in texts(student, "success") + texts(student, "warning")

    teacher.button(key="class.reveal").click().run()
    right = BPTT.question.answer
    assert f"The answer: {options[right]}" in texts(teacher, "success")
    for student in students:
        student.run()
        assert not student.exception
    assert "You were right" in texts(students[1], "success")  # options[-1] is the right one
    assert "Not this time" in texts(students[0], "warning")
    bars = [spec for spec in plotly_specs(students[0]) if spec["data"][0]["type"] == "bar"]
    assert bars and bars[0]["data"][0]["y"][right].startswith("✓")
    assert "of the class predicted" in texts(students[0], "markdown")

    reloaded = open_page("0_Lessons.py", {"class": code, "member": param(students[0], "member")})
    assert not reloaded.exception and "Not this time" in texts(reloaded, "warning")  # the same student, same answer
    assert not [r for r in reloaded.radio if r.key.startswith("class.q.")]  # no answers after the reveal
    assert "Joined as <b>Cy</b>" in texts(students[2], "text")  # plain text, never HTML

    rows = list(csv.reader(io.StringIO(answers_csv(class_store(), class_store().class_state(code), LESSON, secret))))
    assert ["bptt", str(right), "1", "yes"] in rows and ["bptt", "0", "1", "no"] in rows  # Bo's changed answer counts
    assert any(row[:4] == ["1", "Ada", "0", "no"] for row in rows)

    teacher.button(key="class.next_step").click().run()
    for student in students:
        student.run()
        assert student.subheader[0].value == LESSON.steps[1].title


def test_a_live_step_trains_once_on_the_teachers_side_and_every_student_draws_its_snapshots(database):
    teacher, code, secret = start_as_teacher()
    store = class_store()  # the app's own store: its writes are seen at once by the pages it serves
    store.set_step(code, secret, ADDING)
    student = join(code, "")
    step = LESSON.steps[ADDING]
    answer(student, code, step.key, step.question.options[0])
    teacher.run()
    teacher.button(key="class.start_run").click().run()
    assert teacher.session_state["class.run"].worker.settled.wait(timeout=60)
    teacher.run()  # the run has finished: its last snapshot is published as finished
    assert not teacher.exception and teacher.button(key="class.reveal")
    assert store.latest_snapshot(code, ADDING).status == "finished"
    student.run()
    assert not student.exception and plotly_specs(student)
    assert "class.run" not in student.session_state and "lesson.run" not in student.session_state  # nothing trains
    teacher.button(key="class.reveal").click().run()
    student.run()
    assert "the answer is" in texts(student, "success") + texts(student, "warning")


def test_a_stopped_run_is_said_so_and_the_answers_survive(database, monkeypatch):
    teacher, code, secret = start_as_teacher()
    store = class_store()  # the app's own store: its writes are seen at once by the pages it serves
    student = join(code, "Ada")
    answer(student, code, "bptt", BPTT.question.options[0])
    store.start_run(code, secret)
    store.publish_snapshot(
        code, secret, 0, {"values": LESSONS["forgetting"].steps[0].values(), "result": {"progress": 0.3}}, "running"
    )
    monkeypatch.setattr(class_common, "STALLED_AFTER_S", -1.0)  # as if the teacher's server had gone long ago
    student.run()
    assert "The teacher's run stopped" in texts(student, "warning")
    assert "Your answer is in" in texts(student, "success")
    teacher.run()
    assert "Run it again" in texts(teacher, "warning") and teacher.button(key="class.run_instant")


def test_a_student_who_edits_the_link_to_act_as_the_teacher_is_refused_and_nothing_changes(database):
    teacher, code, secret = start_as_teacher()
    student = join(code, "Ada")
    member = param(student, "member")
    forged = open_page("0_Lessons.py", {"class": code, "member": member, "teacher": "guess"})
    assert "not this class's" in texts(forged, "warning")
    assert not has_button(forged, "class.run_instant") and not has_button(forged, "class.next_step")
    assert forged.radio(key=f"class.q.{code}.bptt")  # the student's own page
    assert ClassStore(database).class_state(code).step == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"class": "ACEFGH"}, "No class has that code"),
        ({"class": "??"}, "That is not a class code"),
        ({"class": "acefgh", "member": "x"}, "No class has that code"),
    ],
)
def test_a_wrong_code_says_so_in_the_readers_words(database, query, expected):
    at = open_page("0_Lessons.py", query)
    assert not at.exception and expected in texts(at, "error")
    assert at.button(key="class.leave")


def test_a_closed_class_and_an_unknown_member_are_refused_kindly(database):
    teacher, code, secret = start_as_teacher()
    stranger = open_page("0_Lessons.py", {"class": code, "member": "not-a-member"})
    assert "join it again" in texts(stranger, "warning") and stranger.button(key="class.join")
    teacher.button(key="class.close").click().run()
    assert "This class has ended" in texts(teacher, "info")
    late = open_page("0_Lessons.py", {"class": code})
    assert "closed by its teacher" in texts(late, "info") and not has_button(late, "class.join")


def test_a_database_that_cannot_be_used_says_so_and_the_lessons_still_work(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the database's folder should be")
    monkeypatch.setenv("RNNVIZ_DATABASE_URL", f"sqlite:///{blocked / 'class.sqlite3'}")
    class_store.clear()
    try:
        at = open_page("0_Lessons.py", {"class": "ACEFGH"})
        assert not at.exception and "Class mode is not available" in texts(at, "error")
        assert str(blocked) not in texts(at, "error")  # no file path shown to a student
        lessons = open_page("0_Lessons.py", {"lesson": "forgetting", "step": "1"})
        assert not lessons.exception and lessons.subheader[0].value == BPTT.title
    finally:
        class_store.clear()


def test_the_class_pages_speak_chinese(database):
    teacher, code, secret = start_as_teacher()
    at = open_page("0_Lessons.py", {"class": code, "lang": "zh"})
    assert not at.exception and at.button(key="class.join").label == "加入课堂"


def test_the_teachers_csv_is_in_the_pages_language(database):
    from rnnviz.i18n import use_language

    teacher, code, secret = start_as_teacher()
    join(code, "")
    with use_language("zh"):
        rows = list(
            csv.reader(io.StringIO(answers_csv(class_store(), class_store().class_state(code), LESSON, secret)))
        )
    assert rows[0][:3] == ["问题", "选项（从 0 起）", "人数"]
    per_student = rows[rows.index([]) + 1 :]
    assert per_student[0][:2] == ["序号", "学生"] and per_student[0][-1].startswith("答对题数")
    assert per_student[1][1] == "匿名"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_refusal_a_page_can_meet_has_its_own_words(language):
    from rnnviz.i18n import t, use_language
    from rnnviz.ui.class_store import ERROR_REASONS

    with use_language(language):
        words = [t(f"class.error.{reason}") for reason in (*ERROR_REASONS, "other")]
    assert all(not word.startswith("class.error.") for word in words)
    assert len(set(words)) == len(words)


def test_going_back_to_a_revealed_step_keeps_the_values_it_ran_with(database):
    teacher, code, secret = start_as_teacher()
    store = class_store()  # the app's own store: its writes are seen at once by the pages it serves
    lesson = LESSONS["forgetting"]
    index, step = next((i, s) for i, s in enumerate(lesson.steps) if s.controls and not s.experiment.live)
    control = step.controls[0]
    other = next(option for option in control.options if option != control.default)
    store.set_step(code, secret, index, {control.key: other})
    store.start_run(code, secret)
    store.publish_snapshot(code, secret, index, {"values": step.values({control.key: other}), "result": {}}, "finished")
    store.reveal(code, secret, step.key)
    store.set_step(code, secret, index + 1)
    teacher.run()
    teacher.button(key="class.previous").click().run()
    state = store.class_state(code)
    assert state.step == index and state.values == {control.key: other}


def test_a_lab_page_starts_a_class_on_its_own_lesson(database):
    at = open_page("4_Gradients.py")
    picker = at.selectbox(key="class.lab.Gradients")
    assert picker.value == "forgetting" and {"Why a plain RNN forgets", "A fair race"} <= set(picker.options)
    at.button(key="class.lab_start.Gradients").click().run()
    assert not at.exception
    code, secret = param(at, "class"), param(at, "teacher")
    state = ClassStore(database).class_state(code)
    assert state.lesson == "forgetting" and secret
    assert code in texts(at, "markdown") + texts(at, "code")  # the Lessons page's join screen, the code projected

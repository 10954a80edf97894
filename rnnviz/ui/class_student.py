"""A student in a class: join with the code (a nickname if they like), predict, watch the teacher's one run, and
see the answer beside the class's answers when the teacher reveals it.

Nothing trains here: the run's charts are drawn from the snapshot the teacher's page published to the database. An
answer is written before the page says it is in; a reload (``?member=`` is in the link) shows it again.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.classroom import ClassState, ClassStore
from rnnviz.i18n import current_language, t
from rnnviz.lessons.catalogue import lesson_words
from rnnviz.lessons.class_questions import check_key
from rnnviz.lessons.model import Lesson, Question
from rnnviz.ui import class_common as common
from rnnviz.ui.chart_display import REPLAYED
from rnnviz.ui.class_entry import MEMBER
from rnnviz.ui.class_store import attempt
from rnnviz.ui.lessons_view import DRAWERS, explain, option_labels, step_words, verdict


@st.cache_data(max_entries=128, show_spinner=False)
def draw_published(kind: str, code: str, index: int, sequence: int, status: str, language: str, _run) -> None:
    """Draw a published snapshot of the teacher's run: built once per snapshot, language and server process, then
    replayed to every other student of the class (Streamlit records the elements a cached function draws and
    replays them on a hit), so a class of 60 builds each figure once, not 60 times."""
    replayed = REPLAYED.set(True)
    try:
        DRAWERS[kind](_run.payload["result"], status)
    finally:
        REPLAYED.reset(replayed)


def join_form(store: ClassStore, state: ClassState, lesson: Lesson) -> None:
    """The code is right: a nickname (optional, plain text) and Join."""
    st.title(lesson_words(lesson)("title", lesson.title))
    st.markdown(t("class.join_intro", code=state.code))
    nickname = st.text_input(t("class.nickname"), max_chars=store.settings.nickname_length, key="class.nickname")
    st.caption(t("class.nickname_help"))
    if st.button(t("class.join"), key="class.join", type="primary"):
        member, problem = attempt(lambda: store.join(state.code, nickname))
        if problem:
            st.error(problem)
            return
        st.query_params[MEMBER] = member
        st.rerun()


def render_student(store: ClassStore, state: ClassState, lesson: Lesson, member_id: str) -> None:
    seen, problem = attempt(lambda: common.where_the_class_is(store, state.code))
    mine, problem = (None, problem) if problem else attempt(lambda: store.my_answers(state.code, member_id))
    if problem:
        st.error(problem)
        return
    st.title(lesson_words(lesson)("title", lesson.title))
    total = len(lesson.steps)
    st.progress(
        min(state.step + 1, total + 1) / (total + 1),
        text=t("lessons.step_of", n=state.step + 1, total=total) if state.step < total else t("lessons.check"),
    )
    live = None
    if state.step < total:
        live = student_step(store, state, lesson, member_id, mine)
    else:
        student_checks(store, state, lesson, member_id, mine)
    common.follow(store, state.code, seen, live)


def _answer_box(
    store: ClassStore, state: ClassState, member_id: str, key: str, question: Question, words, mine: dict, label: str
) -> None:
    """The options and a Lock in button; the answer given so far, which may change until the reveal."""
    shown = option_labels(words, question.options)
    given = mine.get(key)
    choice = st.radio(
        label,
        question.options,
        index=given if given is not None and given < len(question.options) else None,
        format_func=shown,
        key=f"class.q.{state.code}.{key}",
    )
    changed = choice is not None and question.options.index(choice) != given
    button = t("class.change_answer") if given is not None else t("lessons.lock")
    if st.button(button, key=f"class.lock.{key}", disabled=not changed, type="primary"):
        option = question.options.index(choice)
        _, problem = attempt(lambda: store.answer(state.code, member_id, key, option))
        if problem:
            st.error(problem)
            return
        st.rerun()
    if given is not None:
        st.success(t("class.answer_in", answer=shown(question.options[given])))
    else:
        st.caption(t("class.lock_before"))


def teachers_run(store: ClassStore, state: ClassState, kind: str, values: dict) -> None:
    """The teacher's run as far as it has been published (drawn inside the page's follow fragment, each tick)."""
    run = common.published(store, state.code, state.step, values)
    if run is None:
        st.info(t("class.waiting_run"))
        return
    if common.stalled(run):
        st.warning(t("class.run_stopped"))
    elif run.status == "finished":
        st.info(t("class.waiting_reveal"))
    progress = run.payload["result"].get("progress", 1.0)
    st.progress(min(1.0, max(0.0, float(progress))), text=t("class.teacher_run", pct=f"{progress:.0%}"))
    draw_published(kind, state.code, state.step, run.sequence, run.status, current_language(), run)


def student_step(store: ClassStore, state: ClassState, lesson: Lesson, member_id: str, mine: dict):
    """The step's question (and, once revealed, the answer beside the class's); returns what the follow fragment
    draws each tick (the teacher's run) before the reveal."""
    step = lesson.steps[state.step]
    values = common.step_values(step, state)
    words = common.heading(lesson, step, values)
    question = step.question
    if step.key not in state.revealed:
        prompt = t("lessons.predict_first", prompt=words("prompt", question.prompt))
        _answer_box(store, state, member_id, step.key, question, words, mine, prompt)
        return lambda: teachers_run(store, state, step.experiment.kind, values)
    run = common.published(store, state.code, state.step, values)
    if run is None or run.status != "finished":
        st.warning(t("class.revealed_without_run"))
        return
    result = run.payload["result"]
    right = step.right_answer(result)
    given = mine.get(step.key)
    if given is not None and given < len(question.options):
        verdict(question, given, right, words)
    else:
        st.info(t("class.no_answer", answer=option_labels(words, question.options)(question.options[right])))
    common.answers_chart(store, state.code, step.key, question, words, right, "class.answers_chart")
    draw_published(step.experiment.kind, state.code, state.step, run.sequence, "finished", current_language(), run)
    explain(question, step.experiment.summarise(result), words)


def student_checks(store: ClassStore, state: ClassState, lesson: Lesson, member_id: str, mine: dict) -> None:
    st.subheader(t("lessons.check"))
    for number, question in enumerate(lesson.checks, start=1):
        key = check_key(number)
        words = step_words(lesson, key)
        label = f"{number}. {words('prompt', question.prompt)}"
        if key not in state.revealed:
            _answer_box(store, state, member_id, key, question, words, mine, label)
            continue
        st.markdown(f"**{label}**")
        shown = option_labels(words, question.options)
        given = mine.get(key)
        answer = shown(question.options[question.answer])
        if given is None:
            st.info(t("class.no_answer", answer=answer))
        else:
            right = given == question.answer
            (st.success if right else st.warning)(
                (t("lessons.check_right") if right else t("lessons.check_wrong", answer=answer))
                + " "
                + words("why", question.why)
            )
        common.answers_chart(store, state.code, key, question, words, question.answer, f"class.answers_chart.{key}")

"""What the teacher's and the students' class pages share: the link's parameters, a step's heading, the published
run and the class's answers drawn as a bar chart.

A class lives in the Lessons page's URL: ``?class=CODE`` (a student adds ``&member=ID`` once joined, so a reload
rejoins as the same student; the teacher's own link adds ``&teacher=SECRET``, which the students never see).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from rnnviz.charts.classroom import class_answers_chart
from rnnviz.classroom import ClassState, ClassStore, Snapshot
from rnnviz.i18n import t
from rnnviz.lessons.model import Lesson, Question, Step
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.class_entry import CLASS
from rnnviz.ui.class_store import attempt
from rnnviz.ui.language import language_param
from rnnviz.ui.lessons_view import filled, option_labels, step_words
from rnnviz.ui.public_address import public_base_url

STALLED_AFTER_S = 30.0  # a "running" snapshot older than this: the teacher's run stopped (a restart, a lost tab)
FOLLOW_EVERY_S = 1.0  # how often a page asks the database whether the class has moved


def join_link(code: str) -> str:
    """The link a student opens: the Lessons page of the address the class can reach (not the teacher's loopback)."""
    base = public_base_url().url.rstrip("/")
    return f"{base}/Lessons?{urlencode({CLASS: code, **language_param()})}"


def step_values(step: Step, state: ClassState) -> dict:
    """The step's values as the teacher set them (a control's value outside its options falls back to its default:
    a class row is data, read like a link)."""
    chosen = {
        control.key: state.values[control.key]
        for control in step.controls
        if control.key in state.values and state.values[control.key] in control.options
    }
    return step.values(chosen)


def heading(lesson: Lesson, step: Step, values: dict):
    """The step's title, text and equation, with the class's values filled in; returns the step's ``words``."""
    words = filled(step_words(lesson, step.key), values)
    st.subheader(words("title", step.title))
    st.markdown(words("text", step.text))
    if step.latex:
        st.latex(step.latex)
    return words


def published(store: ClassStore, code: str, index: int, values: dict) -> Snapshot | None:
    """The step's latest published run, if it ran with these values (an older run of other values is not this
    question's)."""
    sequence, _ = attempt(lambda: store.snapshot_sequence(code, index))
    if sequence is None:
        return None
    snapshot, _ = attempt(lambda: _snapshot(store, code, index, sequence))
    if snapshot is None or not isinstance(snapshot.payload, dict) or snapshot.payload.get("values") != as_json(values):
        return None
    return snapshot


@st.cache_resource(max_entries=256, show_spinner=False)
def _snapshot(_store: ClassStore, code: str, index: int, sequence: int) -> Snapshot | None:
    """A published snapshot, read and decoded once per server process however many students draw it (a class of
    60 on one replica reads the database once per snapshot, then one integer per student). Shared, so read-only."""
    return _store.latest_snapshot(code, index)


def as_json(data):
    """``data`` as it reads back from the database (tuples become lists), to compare with what was published."""
    return json.loads(json.dumps(data))


def stalled(snapshot: Snapshot) -> bool:
    """A run still marked running that has published nothing for a while: the teacher's run stopped."""
    return snapshot.status == "running" and time.time() - snapshot.published_at > STALLED_AFTER_S


def answers_chart(
    store: ClassStore, code: str, key: str, question: Question, words, right: int | None, chart_key: str
) -> None:
    """The class's answers to ``question`` as a bar chart (``right`` marked once revealed), and the sentence a
    teacher reads out ("41% predicted ...")."""
    summary, problem = attempt(lambda: store.answers_summary(code, key))
    if problem:
        st.warning(problem)
        return
    counts = [summary.get(index, 0) for index in range(len(question.options))]
    shown = option_labels(words, question.options)
    options = [shown(option) for option in question.options]
    total = sum(counts)  # the sentence first, where the eye lands; the bars below
    if total and right is not None:
        st.markdown(t("class.share_right", share=f"{counts[right] / total:.0%}", answer=options[right]))
    elif total:
        top = max(range(len(counts)), key=counts.__getitem__)
        st.markdown(t("class.share_top", share=f"{counts[top] / total:.0%}", answer=options[top]))
    show_chart(class_answers_chart(options, counts, right), key=chart_key)


def follow(store: ClassStore, code: str, seen: tuple, live: Callable[[], None] | None = None) -> None:
    """A fragment that asks the database about once a second whether the class has moved (the teacher's step,
    phase, a reveal) and reruns the page when it has. ``live`` draws the teacher's run inside it, each tick: a new
    snapshot redraws only this fragment, and an unchanged one is replayed from the process's cache
    (``class_student.draw_published``), so a class watching a run costs the server little per student."""

    @st.fragment(run_every=FOLLOW_EVERY_S)
    def poll() -> None:
        now, problem = attempt(lambda: where_the_class_is(store, code))
        if problem is None and now != seen:
            st.rerun(scope="app")
        if live is not None:
            live()

    poll()


def where_the_class_is(store: ClassStore, code: str) -> tuple:
    """What a page is drawn from, but the run's snapshots (drawn inside ``follow``): when any of it changes, the
    page is redrawn."""
    state = store.class_state(code)
    return (state.step, state.phase, tuple(sorted(state.revealed)), state.closed, state.expired)

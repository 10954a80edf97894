"""Class mode on the Lessons page: ``?class=CODE`` opens the class as its teacher (with the teacher's secret in the
link), as a student who has joined (``&member=ID``), or on the join form.

Everything here reads the class from the database first, so a reload, a lost connection or another replica shows
the class where it stands. A link that names another class's teacher secret, an unknown member or a wrong code is
refused in the reader's words, and nothing changes.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.i18n import t
from rnnviz.lessons.catalogue import LESSONS
from rnnviz.ui.class_entry import CLASS, MEMBER, TEACHER
from rnnviz.ui.class_store import attempt, store_or_none
from rnnviz.ui.class_student import join_form, render_student
from rnnviz.ui.class_teacher import render_teacher
from rnnviz.ui.language import language_param


def render_class() -> None:
    store = store_or_none()
    if store is None:
        st.caption(t("class.labs_still_work"))
        return
    code = st.query_params.get(CLASS, "")
    state, problem = attempt(lambda: store.class_state(code))
    if problem:
        st.error(problem)
        leave_button()
        return
    lesson = LESSONS.get(state.lesson)
    if lesson is None:
        st.error(t("class.unknown_lesson"))
        leave_button()
        return
    secret = st.query_params.get(TEACHER)
    if secret is not None:
        teacher, problem = attempt(lambda: store.is_teacher(state.code, secret))
        if teacher:
            render_teacher(store, state, lesson, secret)
            return
        st.warning(problem or t("class.error.not_teacher"))
        del st.query_params[TEACHER]
    if state.closed or state.expired:
        st.info(t("class.error.closed" if state.closed else "class.error.expired"))
        leave_button()
        return
    member = st.query_params.get(MEMBER)
    if member is not None:
        found, problem = attempt(lambda: store.rejoin(state.code, member))
        if found is None:
            st.warning(problem)
            del st.query_params[MEMBER]
            join_form(store, state, lesson)
            return
        if found.nickname:
            st.sidebar.text(t("class.joined_as", nickname=found.nickname))
        render_student(store, state, lesson, member)
        return
    join_form(store, state, lesson)


def leave_button() -> None:
    if st.button(t("class.leave"), key="class.leave"):
        st.query_params.clear()
        st.query_params.from_dict(language_param())
        st.rerun()

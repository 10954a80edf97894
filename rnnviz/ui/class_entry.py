"""The ways into class mode from the Lessons page: "Teach this to a class" on a lesson, and the box where a student
types the code from the projector. Kept apart from the class pages (which draw with the lesson view's helpers) so
the lesson view can offer them.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.classroom import ClassStore
from rnnviz.i18n import t
from rnnviz.lessons.catalogue import LESSONS
from rnnviz.ui.class_store import attempt, store_or_none
from rnnviz.ui.language import language_param

CLASS = "class"  # the join code
MEMBER = "member"  # a student's member id
TEACHER = "teacher"  # the teacher's secret


def in_class() -> bool:
    """Whether this page's link is a class's."""
    return CLASS in st.query_params


def teach_button(lesson_key: str, step_index: int = 0, *, key: str = "class.teach") -> None:
    """ "Teach this to a class": a class on this lesson from this step, opened as its teacher."""
    if st.button(t("class.teach"), key=key, help=t("class.teach_help")):
        start_class(store_or_none(), lesson_key, step_index)


def join_by_code() -> None:
    """The lesson list's box for a class code typed from the projector."""
    with st.container(border=True):
        st.markdown(f"**{t('class.join_title')}**")
        typed = st.text_input(t("class.code_input"), max_chars=12, key="class.code_typed", placeholder="KM4T7X")
        if st.button(t("class.join_code"), key="class.join_code", disabled=not typed.strip()):
            st.query_params.from_dict({CLASS: typed.strip().upper(), **language_param()})
            st.rerun()


def start_class(store: ClassStore | None, lesson_key: str, step_index: int = 0) -> None:
    """Make a class on the lesson, starting at ``step_index``, and open it as its teacher."""
    if store is None:
        return
    attempt(store.purge_expired)  # the classes whose time is up go as a new one comes
    made, problem = attempt(lambda: store.create_class(lesson_key))
    if problem:
        st.error(problem)
        return
    code, secret = made
    lesson = LESSONS[lesson_key]
    if step_index:
        step = lesson.steps[step_index]
        defaults = {control.key: control.default for control in step.controls}
        attempt(lambda: store.set_step(code, secret, step_index, defaults))
    st.query_params.clear()
    st.query_params.from_dict({CLASS: code, TEACHER: secret, **language_param()})
    st.rerun()

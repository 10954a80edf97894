"""The ways into class mode: "Teach this to a class" on a lesson and on every lab page, and the box where a student
types the code from the projector. Kept apart from the class pages (which draw with the lesson view's helpers) so
the lesson view and the lab pages can offer them.

A class runs a lesson, step by step: its questions are what the class predicts and the reveal gathers. A lab page
offers the lessons that run its experiments, its own first (``LAB_LESSONS``), and opens the chosen one on the
Lessons page as the class's teacher.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.classroom import ClassStore
from rnnviz.i18n import t
from rnnviz.lessons.catalogue import LESSONS, lesson_words
from rnnviz.ui.class_store import attempt, store_or_none
from rnnviz.ui.language import language_param

CLASS = "class"  # the join code
MEMBER = "member"  # a student's member id
TEACHER = "teacher"  # the teacher's secret


LESSONS_PAGE = "pages/0_Lessons.py"
# A lab page's lessons: the ones whose steps run that lab's experiments, the closest first (a page missing here
# offers every lesson).
LAB_LESSONS = {
    "Train": ("fair-race", "exploding", "forgetting", "comeback"),
    "Inspect": ("inside",),
    "Generate": ("inside", "fair-race"),
    "Gradients": ("forgetting", "exploding", "comeback"),
    "Attention": ("attention",),
    "Tag": ("both-ways",),
    "Classify": ("sentiment",),
}


def in_class() -> bool:
    """Whether this page's link is a class's."""
    return CLASS in st.query_params


def teach_button(lesson_key: str, step_index: int = 0, *, key: str = "class.teach") -> None:
    """ "Teach this to a class": a class on this lesson from this step, opened as its teacher."""
    if st.button(t("class.teach"), key=key, help=t("class.teach_help")):
        start_class(store_or_none(), lesson_key, step_index)


def lab_teach_panel(page: str) -> None:
    """A lab page's "Teach this to a class": pick the lesson (this lab's first), and open it as the class's teacher."""
    keys = [key for key in LAB_LESSONS.get(page, ()) if key in LESSONS]
    keys += [key for key in LESSONS if key not in keys]
    titles = {key: lesson_words(LESSONS[key])("title", LESSONS[key].title) for key in keys}
    with st.sidebar.expander(t("class.teach")):
        st.caption(t("class.lab_help"))
        chosen = st.selectbox(t("class.lab_lesson"), keys, format_func=titles.get, key=f"class.lab.{page}")
        if st.button(t("class.lab_start"), key=f"class.lab_start.{page}", help=t("class.teach_help")):
            made = make_class(store_or_none(), chosen)
            if made is not None:
                code, secret = made
                st.switch_page(LESSONS_PAGE, query_params={CLASS: code, TEACHER: secret, **language_param()})


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
    made = make_class(store, lesson_key, step_index)
    if made is None:
        return
    code, secret = made
    st.query_params.clear()
    st.query_params.from_dict({CLASS: code, TEACHER: secret, **language_param()})
    st.rerun()


def make_class(store: ClassStore | None, lesson_key: str, step_index: int = 0) -> tuple[str, str] | None:
    """A new class on the lesson at ``step_index``: its (code, teacher secret), or None with the problem shown."""
    if store is None:
        return None
    attempt(store.purge_expired)  # the classes whose time is up go as a new one comes
    made, problem = attempt(lambda: store.create_class(lesson_key))
    if problem:
        st.error(problem)
        return None
    code, secret = made
    if step_index:
        step = LESSONS[lesson_key].steps[step_index]
        defaults = {control.key: control.default for control in step.controls}
        attempt(lambda: store.set_step(code, secret, step_index, defaults))
    return code, secret

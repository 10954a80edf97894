"""Lessons: guided predict-then-reveal lessons, each step a live experiment from the labs; with ``?class=CODE``, a
class following its teacher's run."""

from rnnviz.ui.class_entry import in_class
from rnnviz.ui.class_view import render_class
from rnnviz.ui.lessons_view import render_lessons
from rnnviz.ui.navigation import setup_page

setup_page("Lessons", "🎓")
if in_class():
    render_class()
else:
    render_lessons()

"""Lessons: guided predict-then-reveal lessons, each step a live experiment from the labs."""

from rnnviz.ui.lessons_view import render_lessons
from rnnviz.ui.navigation import setup_page

setup_page("Lessons", "🎓")
render_lessons()

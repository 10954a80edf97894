"""rnnviz home page: what the app is, and where to go."""

from rnnviz.ui.home import render_home
from rnnviz.ui.navigation import setup_page

setup_page("Home", "🏠")
render_home()

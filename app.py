"""rnnviz home page: what the app is, and where to go."""

import streamlit as st

from rnnviz.ui.home import render_home

st.set_page_config(page_title="rnnviz: recurrent networks, live", page_icon="🔁", layout="wide")
render_home()

"""Gradients: watch gradients vanish in an RNN and survive in an LSTM and GRU, then see what it costs."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.gradients_view import decay_at_init, decay_in_training, mechanism_controls, task_section
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.url_state import UrlSettings

setup_page("Gradients", "📉")
st.title(t("nav.gradients"))
st.caption(t("grad.caption"))

url = UrlSettings("Gradients")  # every setting below has a deep link
decay_tab, tasks_tab = st.tabs([t("grad.tab.decay"), t("grad.tab.tasks")])
with decay_tab:
    cells, settings = mechanism_controls(url)
    if cells:
        decay_at_init(cells, settings)
        decay_in_training(cells, settings, url)
    else:
        st.info(t("grad.pick_cell"))
with tasks_tab:
    task_section(url)
url.share_panel()

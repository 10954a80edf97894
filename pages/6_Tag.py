"""Tag: named entities in Chinese news; a left-to-right and a bidirectional tagger side by side, live."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.tag_view import about_section, controls, misses_section, sentence_section, training_section
from rnnviz.ui.url_state import UrlSettings

setup_page("Tag", "🏷️")
st.title(t("nav.tag"))
st.caption(t("tag.caption"))

url = UrlSettings("Tag")  # every setting has a deep link
sentence_section(url)
misses_section()
config = controls(url)
training_section(config)
about_section()
url.share_panel()

"""Every page's first lines: its config and one shared sidebar that starts somewhere (Home), then Learn, then Labs.

Streamlit's own page list is turned off (``client.showSidebarNavigation = false``) so the home page reads "Home"
rather than its file name and the pages group by purpose; the app stays in the ``pages/`` folder mode.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.language import init_language, language_switch
from rnnviz.ui.page_style import apply_page_style
from rnnviz.ui.session_memo import forget_other_pages

# The one list of pages: every file in pages/ (and app.py) has its row, and every row its file, its nav.NAME key in
# every catalogue and, for a lab, its home.lab.NAME card (tests/ui/test_navigation.py checks all of it).
# Material icons ship with Streamlit's own fonts: they render offline, where an emoji font may be missing.
# (path, the page's name in English: its catalogue key is nav_key(NAME), icon)
HOME = ("app.py", "Home", ":material/home:")
LEARN = [("pages/0_Lessons.py", "Lessons", ":material/school:")]
LABS = [
    ("pages/1_Train.py", "Train", ":material/model_training:"),
    ("pages/2_Inspect.py", "Inspect", ":material/search:"),
    ("pages/3_Generate.py", "Generate", ":material/edit_note:"),
    ("pages/4_Gradients.py", "Gradients", ":material/trending_down:"),
    ("pages/5_Attention.py", "Attention", ":material/center_focus_strong:"),
    ("pages/6_Tag.py", "Tag", ":material/label:"),
    ("pages/7_Classify.py", "Classify", ":material/reviews:"),
]


def nav_key(name: str) -> str:
    """The catalogue key of a page's name (``name`` is its English name, as in the tables above)."""
    return f"nav.{name.lower()}"


def page_name(name: str) -> str:
    """A page's name in the current language (``name`` is its English name, as in the tables above)."""
    return t(nav_key(name))


def setup_page(title: str, icon: str) -> None:
    """``st.set_page_config``, the language switch and the sidebar's navigation; call it first on every page. It
    also drops what another page kept in the session for its reruns (``session_memo``)."""
    init_language()
    forget_other_pages()
    shown = page_name(title)
    st.set_page_config(page_title=f"{shown} · rnnviz" if title != "Home" else "rnnviz", page_icon=icon, layout="wide")
    apply_page_style()
    with st.sidebar:
        st.page_link(HOME[0], label=page_name(HOME[1]), icon=HOME[2])
        st.caption(t("nav.learn"))
        for path, label, page_icon in LEARN:
            st.page_link(path, label=page_name(label), icon=page_icon)
        st.caption(t("nav.labs"))
        for path, label, page_icon in LABS:
            st.page_link(path, label=page_name(label), icon=page_icon)
        st.divider()
        _close_sidebar_after_a_pick()
    language_switch()


# A phone's sidebar covers the page, and Streamlit keeps it open after a page link in it is tapped (it remembers the
# open sidebar in the browser's storage, so no page config can close it). On a screen narrower than Streamlit's own
# breakpoint (md, 768 px), a tap on a page link presses the sidebar's own collapse button: the page opens uncovered,
# and the sidebar is remembered closed. Wider screens keep their sidebar. Added once per browser tab.
CLOSE_SIDEBAR_JS = """<script>
(() => {
  if (document.__rnnvizClosesSidebar) return;
  document.__rnnvizClosesSidebar = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]');
    if (!link || !window.matchMedia("(max-width: 767.98px)").matches) return;
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) setTimeout(() => close.click(), 0);
  }, true);
})();
</script>"""


def _close_sidebar_after_a_pick() -> None:
    st.html(CLOSE_SIDEBAR_JS, unsafe_allow_javascript=True)

"""The app's own CSS, where Streamlit's theme has no setting: a visible keyboard focus, equations without a scroll
box a keyboard cannot reach, and a page made for a phone (16 px text, 44 px tap targets: WCAG 2.1's 2.5.5 and the
sizes iOS and Android ask for). Drawn once per page run by ``navigation.setup_page``; nothing is fetched."""

from __future__ import annotations

import streamlit as st

FOCUS = "#0072B2"  # Okabe-Ito blue: 5.1:1 on white, so the focus ring passes the 3:1 of WCAG 2.1's 1.4.11

CSS = f"""
<style>
/* Equations are written to fit their column (split into lines); KaTeX's own box would scroll by a pixel or two and
   become a scroll region that no key can reach. */
.katex-display {{ overflow: visible !important; }}
/* The focus of a keyboard user, on every control and on the answer options' labels. */
:focus-visible {{ outline: 3px solid {FOCUS} !important; outline-offset: 2px; }}
[data-testid="stRadio"] label:has(input:focus-visible) {{ outline: 3px solid {FOCUS}; outline-offset: 2px; }}
/* A segmented control's chosen option (Inspect's views): Streamlit writes it in the primary red on a 10% tint of it,
   4.4:1, under AA's 4.5:1; dark bold text keeps the tint and the red border that mark it chosen. */
[data-testid="stButtonGroup"] button[aria-checked="true"] p {{ color: #111318 !important; font-weight: 600; }}
@media (max-width: 640px) {{
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
  [data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] p, [data-testid="stRadio"] label p {{
    font-size: 16px !important;
  }}
  [data-testid="stRadio"] label {{ min-height: 44px; align-items: center; }}
  [data-testid="stButton"] button, [data-testid="stDownloadButton"] button, [data-testid="stPageLink"] a {{
    min-height: 44px;
  }}
}}
</style>
"""


def apply_page_style() -> None:
    st.html(CSS)

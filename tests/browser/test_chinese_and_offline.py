"""Every page in Chinese in a real browser, with the network log watched: every request goes to the app's own
server (no CDN, no font service, no analytics), and a downloaded chart opens with no request at all. Each page, as
drawn, is also the Chinese half of the accessibility walk (``axe_checks.py``: no critical or serious axe-core
violation, no icon read out as its ligature), so a page is loaded once for both.

Screenshots: test-artifacts/zh-*.png (with RNNVIZ_UPDATE_DOCS=1 they replace docs/zh-*.png); the CJK glyph check of
test_tag_renders_chinese_as_characters covers the font.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import plotly.graph_objects as go
import pytest
from axe_checks import blocking, faint_chart_text, icons_hidden
from playwright.sync_api import expect
from test_accessibility import LESSON_STEP
from test_accessibility import PAGES as ACCESSIBILITY_PAGES
from test_pages_in_chromium import button, idle, no_exception, shot

from rnnviz.charts.export import standalone_html

PAGES = [  # (path, the heading it must show in Chinese, screenshot name or None)
    ("", "rnnviz：", "zh-home"),
    ("Lessons", "课程", None),
    ("Lessons?lesson=both-ways&step=1", "双向阅读：标注人名", "zh-lesson"),
    (LESSON_STEP, "普通 RNN 为什么会遗忘", None),  # the accessibility walk's step: an equation, a control, a question
    ("Train", "训练", "zh-train"),
    ("Inspect", "检视", "zh-inspect"),
    ("Generate", "生成", "zh-generate"),
    ("Gradients", "梯度", None),
    ("Attention", "注意力机制", None),
    ("Tag", "标注", "zh-tag"),
    ("Classify", "分类", None),
]


def outside(requests: list[str], app_url: str) -> list[str]:
    """Requests that leave the app's own server (data: and blob: URLs are the page's own bytes)."""
    own = urlparse(app_url).netloc
    return [url for url in requests if not url.startswith(("data:", "blob:")) and urlparse(url).netloc != own]


def test_the_chinese_walk_covers_every_page_of_the_accessibility_walk():
    assert {path for path, _, _ in PAGES} >= {*ACCESSIBILITY_PAGES, LESSON_STEP}


@pytest.mark.parametrize("path, heading, name", PAGES)
def test_each_page_in_chinese_asks_only_its_own_server(app_url, tab, path, heading, name):
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(f"{app_url}/{path}{'&' if '?' in path else '?'}lang=zh")
    expect(tab.get_by_test_id("stSidebar").get_by_text("简体中文")).to_be_visible(timeout=90_000)  # the run drew
    idle(tab)
    tab.wait_for_timeout(500)  # late requests (fonts, images) after the script settles
    no_exception(tab)
    assert requests, "the log saw nothing: the check would pass vacuously"
    assert outside(requests, app_url) == []
    assert tab.get_by_test_id("stHeading").first.inner_text().startswith(heading)
    assert blocking(tab) == []  # as the page opens, as the English walk checks it
    assert faint_chart_text(tab) == []
    assert icons_hidden(tab), "an icon a screen reader would read out as its ligature's name"
    if path == "Generate":  # the Song ci model writes from 明月: Chinese characters, each with its hover
        button(tab, "生成").click()
        tab.wait_for_selector("span[title^='第 299 步']", timeout=60_000)
        idle(tab)
        written = tab.locator("span[title^='第 ']").all_inner_texts()
        assert sum("\u4e00" <= ch <= "\u9fff" for piece in written for ch in piece) > 150
        assert outside(requests, app_url) == []
    assert re.search("[\u4e00-\u9fff]", tab.get_by_test_id("stSidebar").inner_text())
    if name:
        shot(tab, name)


def test_a_downloaded_chart_opens_with_no_request(tab, tmp_path):
    path = tmp_path / "chart.html"
    path.write_text(standalone_html(go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]))), encoding="utf-8")
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(path.as_uri())
    tab.wait_for_selector(".js-plotly-plot .scatterlayer", timeout=30_000)  # plotly.js came with the file
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []

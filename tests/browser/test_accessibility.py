"""Every student: axe-core finds no critical or serious WCAG 2.1 violation on any page in any language (Chinese in
test_chinese_and_offline.py, one load per page for both checks; in English, a page that a test of its own opens at its
address is checked there, the rest here); a lesson works from a phone's QR link and with the
keyboard alone.

Screenshots: test-artifacts/phone-lesson*.png (with RNNVIZ_UPDATE_DOCS=1 they replace docs/phone-lesson*.png).
"""

from __future__ import annotations

import os
import shutil

import pytest
from axe_checks import blocking, faint_chart_text, icons_hidden
from helpers import ARTIFACTS, OTHER_LANGUAGES, ROOT
from playwright.sync_api import expect

from rnnviz.i18n import DEFAULT
from rnnviz.testing.chromium import wait_idle
from rnnviz.ui.navigation import LABS, LEARN

PAGES = ["", *(path.split("_", 1)[1].removesuffix(".py") for path, _, _ in LEARN + LABS)]
LESSON_STEP = "Lessons?lesson=forgetting&step=2"  # a step with an equation, a control and a question


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.wait_for_timeout(300)  # charts and fonts settle after the script's run


# In English, each page at its own address is checked by the test that opens it there (its charts drawn by then):
# (module, test) by page. The walk takes the rest, and every page in any other language but Chinese, which is walked
# page by page with its network log (test_chinese_and_offline.py), through the same checks.
CHECKED_BY_ITS_OWN_TEST = {
    "": ("test_pages_in_chromium", "test_home"),
    "Train": ("test_views_in_chromium", "test_the_scaling_chart_is_drawn_with_no_console_errors"),
    "Inspect": ("test_pages_in_chromium", "test_inspect"),
    "Generate": ("test_pages_in_chromium", "test_generate"),
    "Gradients": ("test_pages_in_chromium", "test_gradients"),
    "Attention": ("test_pages_in_chromium", "test_attention"),
    "Tag": ("test_pages_in_chromium", "test_tag_renders_chinese_as_characters"),
    "Classify": ("test_pages_in_chromium", "test_classify"),
}


def walked(language: str) -> list[str]:
    pages = [*PAGES, LESSON_STEP]
    return [name for name in pages if name not in CHECKED_BY_ITS_OWN_TEST] if language == DEFAULT else pages


def test_every_page_is_checked_in_english_by_the_walk_or_by_the_test_that_opens_it():
    import importlib
    import inspect

    assert set(walked(DEFAULT)) | set(CHECKED_BY_ITS_OWN_TEST) == {*PAGES, LESSON_STEP}
    for name, (module, test) in CHECKED_BY_ITS_OWN_TEST.items():
        source = inspect.getsource(getattr(importlib.import_module(module), test))
        address = "goto(app_url)" if name == "" else f'goto(f"{{app_url}}/{name}")'
        assert address in source, f"{test} does not open {name or 'Home'} at its own address"
        assert "assert_accessible(page)" in source, f"{test} opens {name or 'Home'} but does not check it"


@pytest.mark.parametrize("language", [DEFAULT, *(language for language in OTHER_LANGUAGES if language != "zh")])
def test_every_page_has_no_critical_or_serious_wcag_violation(app_url, tab, language):
    found = {}
    for name in walked(language):
        separator = "&" if "?" in name else "?"
        open_page(tab, f"{app_url}/{name}{separator}lang={language}")
        problems = blocking(tab) + [f"chart text under 4.5:1: {text}" for text in faint_chart_text(tab)]
        if problems:
            found[name or "Home"] = problems
        assert icons_hidden(tab), f"{name}: an icon a screen reader would read out as its ligature's name"
    assert found == {}, found


def no_sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def shot(page, name: str) -> None:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    if os.environ.get("RNNVIZ_UPDATE_DOCS") == "1":
        shutil.copy(path, ROOT / "docs" / f"{name}.png")


def test_a_lesson_on_a_phone_from_the_link_to_the_reveal(app_url, phone):
    page = phone
    for name in PAGES:
        open_page(page, f"{app_url}/{name}")
        assert no_sideways_scroll(page) <= 0, f"{name or 'Home'} scrolls sideways on a phone"
    open_page(page, f"{app_url}/Lessons?lesson=forgetting&step=1")  # what the QR code opens
    assert page.get_by_test_id("stSidebar").get_attribute("aria-expanded") != "true"  # the page, not the menu
    options = page.get_by_test_id("stMain").get_by_test_id("stRadio").locator("label:has(input[type=radio])")
    expect(options).to_have_count(3, timeout=60_000)  # drawn once the page's script has run, however busy
    for index in range(options.count()):
        box = options.nth(index).bounding_box()
        assert box["height"] >= 44, f"answer option {index} is {box['height']:.0f} px high"
        size = options.nth(index).evaluate("e => parseFloat(getComputedStyle(e.querySelector('p')).fontSize)")
        assert size >= 16
    text = page.get_by_test_id("stMarkdownContainer").first
    assert text.evaluate("e => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize)") >= 16
    shot(page, "phone-lesson")
    options.filter(has_text="less than a millionth").tap()
    wait_idle(page)
    lock = page.get_by_test_id("stButton").filter(has_text="Lock in my answer").locator("button")
    assert lock.bounding_box()["height"] >= 44
    lock.tap()
    wait_idle(page)
    verdict = page.get_by_test_id("stAlertContentSuccess").filter(has_text="the answer is")
    expect(verdict).to_be_visible(timeout=60_000)  # the step computes its result first: seconds on a busy machine
    assert no_sideways_scroll(page) <= 0
    page.wait_for_selector(".js-plotly-plot .xtick text", timeout=20_000)  # the reveal's chart, drawn after the run
    assert faint_chart_text(page) == []
    verdict.scroll_into_view_if_needed()
    shot(page, "phone-lesson-reveal")


def test_a_lesson_step_with_the_keyboard_alone_and_a_visible_focus(app_url, tab):
    open_page(tab, f"{app_url}/Lessons?lesson=forgetting&step=1")
    for _ in range(60):  # Tab through the page until an answer option has the focus
        tab.keyboard.press("Tab")
        answer_option = (
            "document.activeElement.type === 'radio' && document.activeElement.closest('[data-testid=stMain]')"
        )
        if tab.evaluate(f"document.activeElement && {answer_option}"):  # not the sidebar's language switch
            break
    else:
        pytest.fail("no answer option is reachable with Tab")
    tab.keyboard.press("ArrowDown")  # the second option ...
    tab.keyboard.press("ArrowDown")  # ... the third: "less than a millionth"
    lock = tab.get_by_test_id("stButton").filter(has_text="Lock in my answer").locator("button")
    expect(lock).to_be_enabled()  # the choice has reached the server (a rerun); the focus stays on the option
    wait_idle(tab)
    ring = tab.evaluate(
        "() => { const label = document.activeElement.closest('label'); const s = getComputedStyle(label);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    assert ring[0] == "solid" and ring[1] >= 2 and ring[2] == "rgb(0, 114, 178)", ring  # 5.1:1 on white
    for _ in range(10):  # on to the Lock in button
        tab.keyboard.press("Tab")
        focused = "document.activeElement && document.activeElement.tagName === 'BUTTON'"
        if tab.evaluate(f"{focused} && document.activeElement.innerText.includes('Lock in')"):
            break
    else:
        pytest.fail("the Lock in button is not reachable with Tab")
    tab.keyboard.press("Enter")
    wait_idle(tab)
    expect(tab.get_by_test_id("stAlertContentSuccess").filter(has_text="You were right")).to_be_visible()

"""On a phone the sidebar covers the page: after a student taps a page in it, it closes (a wider screen keeps it)."""

from __future__ import annotations

from rnnviz.testing.chromium import wait_idle

SIDEBAR_RIGHT = "() => Math.round(document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right)"


def pick(page, name: str, tap: bool) -> None:
    link = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(has_text=name).first
    link.tap() if tap else link.click()
    page.wait_for_function(f"document.title.startsWith('{name}')", timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(500)  # the sidebar's slide


def test_the_sidebar_closes_after_a_page_is_picked_on_a_phone(app_url, phone):
    page = phone
    page.goto(f"{app_url}/Generate")
    wait_idle(page)
    assert page.evaluate(SIDEBAR_RIGHT) <= 0  # a phone opens with the sidebar closed
    page.get_by_test_id("stExpandSidebarButton").tap()
    page.wait_for_timeout(500)
    assert page.evaluate(SIDEBAR_RIGHT) > 200  # open, over most of the 390 px
    pick(page, "Attention", tap=True)
    assert page.evaluate(SIDEBAR_RIGHT) <= 0 and page.get_by_test_id("stException").count() == 0
    page.reload()
    wait_idle(page)
    assert page.evaluate(SIDEBAR_RIGHT) <= 0  # and it is remembered closed


def test_a_wide_screen_keeps_its_sidebar(app_url, tab):
    tab.goto(f"{app_url}/Generate")
    wait_idle(tab)
    pick(tab, "Attention", tap=False)
    assert tab.evaluate(SIDEBAR_RIGHT) > 200
    script = tab.locator("[data-testid='stSidebar'] [data-testid='stHtml']")
    assert all(
        box["height"] < 2 for box in (script.nth(i).bounding_box() or {"height": 0} for i in range(script.count()))
    )

"""What every accessibility walk asserts of a page as it is drawn: no critical or serious axe-core violation (WCAG 2.1
AA and axe's own rules, with the axe-core that axe-playwright-python ships), and no icon that a screen reader would
read out as its Material ligature's name ("keyboard_double_arrow_left"). In English each page is checked by the test
that opens it at its own address anyway (``assert_accessible``, once its charts are drawn), and the walk in
test_accessibility.py takes the pages no such test opens; the Chinese walk goes with that language's network log in
test_chinese_and_offline.py. So each page is loaded once per language for these checks."""

from __future__ import annotations


def blocking(page) -> list[str]:
    """The critical and serious axe-core violations of the page as it is now: rule, impact, first element."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:160]}"
        for v in violations
        if v["impact"] in ("critical", "serious")
    ]


def icons_hidden(page) -> bool:
    """Whether every Material icon on the page is hidden from screen readers (its words are beside it)."""
    return page.eval_on_selector_all(
        "[data-testid='stIconMaterial']", "els => els.every(e => e.getAttribute('aria-hidden') === 'true')"
    )


def assert_accessible(page, where: str = "") -> None:
    """Both checks, on the page as it is now."""
    problems = blocking(page)
    assert problems == [], f"{where or page.url}: {problems}"
    assert icons_hidden(page), f"{where or page.url}: an icon a screen reader would read out as its ligature's name"

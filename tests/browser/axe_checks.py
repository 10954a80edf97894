"""What every accessibility walk asserts of a page as it is drawn: no critical or serious axe-core violation (WCAG 2.1
AA and axe's own rules, with the axe-core that axe-playwright-python ships), and no icon that a screen reader would
read out as its Material ligature's name ("keyboard_double_arrow_left"). In English each page is checked by the test
that opens it at its own address anyway (``assert_accessible``, once its charts are drawn), and the walk in
test_accessibility.py takes the pages no such test opens; the Chinese walk goes with that language's network log in
test_chinese_and_offline.py. So each page is loaded once per language for these checks.

axe-core does not measure text drawn in SVG, so the charts' own text (ticks, axis titles, legends, colour bars,
labels on lines) is measured here: its fill against the white chart, at WCAG's 4.5:1."""

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


# The text a Plotly chart draws around its data; the numbers inside a heatmap's cells take their colour from the cell.
CHART_TEXT = ", ".join(
    f".js-plotly-plot {part}"
    for part in (".xtick text", ".ytick text", ".g-xtitle text", ".g-ytitle text", ".legendtext", ".gtitle",
                 ".annotation-text", ".cbaxis text", ".cbtitle text")
)  # fmt: skip


def faint_chart_text(page) -> list[str]:
    """Each chart text on the page whose colour reads under 4.5:1 on white: the text, its colour and its ratio."""
    return page.eval_on_selector_all(
        CHART_TEXT,
        """els => {
            const linear = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            const faint = [];
            for (const el of els) {
                const fill = getComputedStyle(el).fill;
                const [r, g, b] = fill.match(/[\\d.]+/g).map(Number);
                const ratio = 1.05 / (0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b) + 0.05);
                const text = el.textContent.trim();
                if (ratio < 4.5 && text) faint.push(`${text} ${fill} ${ratio.toFixed(2)}`);
            }
            return faint;
        }""",
    )


def assert_accessible(page, where: str = "") -> None:
    """The three checks, on the page as it is now."""
    problems = blocking(page)
    assert problems == [], f"{where or page.url}: {problems}"
    faint = faint_chart_text(page)
    assert faint == [], f"{where or page.url}: chart text under 4.5:1 on white: {faint[:5]}"
    assert icons_hidden(page), f"{where or page.url}: an icon a screen reader would read out as its ligature's name"

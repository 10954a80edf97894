"""Three views in Chromium that AppTest cannot draw: Inspect's Intervene view from its link, Train's Rewind after a
tiny race, and the Train page's scaling chart, each waited on by its own selector or event, none by a sleep."""

from __future__ import annotations

import re

from axe_checks import assert_accessible
from playwright.sync_api import expect
from test_pages_in_chromium import button, idle, no_exception

TINY = "hidden=8&emb=4&seq_len=16&batch_size=4&steps=20000&sample_every=0"
FIRST_PLOT = "document.querySelector('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')"


def plot_names(page) -> list[str]:
    """The names of the first chart's lines, as Plotly holds them."""
    return page.evaluate(f"() => ({FIRST_PLOT}?.data || []).map(trace => trace.name)")


def test_the_intervene_view_opens_from_its_link_and_redraws_for_another_unit(app_url, tab):
    page = tab
    page.goto(f"{app_url}/Inspect?view=intervene&iv_len=12")
    idle(page)
    no_exception(page)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .js-plotly-plot .scatterlayer .trace")
    untouched, clamped = plot_names(page)  # the next token's probability in both runs
    assert untouched == "untouched" and (found := re.search(r" (\w+)\[(\d+)\] = 0$", clamped)), clamped
    probabilities = page.evaluate(f"() => {FIRST_PLOT}.data.map(trace => Array.from(trace.y))")
    assert len(probabilities) == 2 and all(0 <= p <= 1 for run in probabilities for p in run)
    assert len(probabilities[0]) == len(probabilities[1]) > 12
    runs = page.get_by_test_id("stHorizontalBlock").filter(has_text="Untouched").last  # the two runs, side by side
    continuations = runs.get_by_test_id("stCode")
    expect(continuations).to_have_count(2, timeout=60_000)

    state, other = found.group(1), (int(found.group(2)) + 1) % 512  # the finder's unit, and the next
    unit = page.get_by_role("spinbutton", name="Unit")
    unit.fill(str(other))
    unit.press("Enter")
    page.wait_for_function(
        f"(target) => ({FIRST_PLOT}?.data || [])[1]?.name.endsWith(target)",
        arg=f" {state}[{other}] = 0",
        timeout=60_000,
    )
    idle(page)
    no_exception(page)
    assert f"iv_unit={other}" in page.url
    expect(continuations).to_have_count(2)


def helped(page, name: str):
    """A button with a help tooltip (Rewind, Step 10), by its accessible name: the tooltip keeps ``button``'s
    exact match of the text from finding it."""
    return page.get_by_test_id("stMain").get_by_role("button", name=name, exact=True)


def test_rewind_after_a_tiny_race_reruns_it_and_says_what_changed(app_url, tab):
    page = tab
    page.goto(f"{app_url}/Train?{TINY}&cells=gru")  # one tiny cell: the race and its charts are quick to redraw
    idle(page)
    no_exception(page)
    expect(helped(page, "Rewind")).to_be_disabled()  # no race yet
    page.get_by_test_id("stMain").get_by_text("n-gram baselines on the loss chart").click()  # off: 5 s of counting
    idle(page)
    helped(page, "Step 10").click()  # a tiny race: 10 steps, no thread left running
    expect(helped(page, "Rewind")).to_be_enabled(timeout=60_000)
    rate = page.get_by_test_id("stSidebar").get_by_role("spinbutton", name="Learning rate")
    rate.fill("0.01")
    rate.press("Enter")
    idle(page)
    helped(page, "Rewind").click()
    expect(page.get_by_test_id("stAlertContentInfo").filter(has_text="Rewound")).to_contain_text(
        "Rewound: same start and batches (seed 0), learning rate 0.003 → 0.01.", timeout=60_000
    )
    button(page, "Stop").click()  # the rewound race runs live: stopped here, so no later test shares the cores
    expect(page.get_by_test_id("stProgress").first).to_contain_text("Stopped", timeout=60_000)
    no_exception(page)


def test_the_scaling_chart_is_drawn_with_no_console_errors(app_url, tab):
    page = tab
    errors: list[str] = []

    def console(message) -> None:
        # A page opened at its own path (/Train) has Streamlit's frontend probe /Train/_stcore/ first (404), then
        # the server's root: that is Streamlit's, on every page, and not this chart's.
        if message.type == "error" and "/_stcore/" not in message.location.get("url", ""):
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/Train")
    idle(page)
    assert_accessible(page)  # the page as it opens (the English accessibility walk's check of Train)
    page.get_by_test_id("stExpander").filter(has_text="Speed against sequence length").locator("summary").click()
    chart = page.get_by_test_id("stExpander").locator("[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg")
    expect(chart.first).to_be_visible(timeout=60_000)
    idle(page)
    no_exception(page)
    assert page.get_by_test_id("stExpander").locator(".scatterlayer .trace").count() >= 2  # a line per cell and mode
    assert errors == []

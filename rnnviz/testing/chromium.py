"""Debian's Chromium driven by Playwright, as the browser tests and the browser benchmarks use it: the flags that
keep it off a closed network, and what "the page is ready" and "the charts are drawn" mean in Streamlit's DOM."""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

# The Plotly figures on the page: how many, how many drawn (an SVG inside), and the bytes of JSON they carry.
CHARTS_JS = """() => {
  const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
  const drawn = plots.filter(p => p.querySelector('.main-svg') && p.data);
  const bytes = drawn.reduce((n, p) => n + JSON.stringify(p.data).length + JSON.stringify(p.layout || {}).length, 0);
  const images = [...document.querySelectorAll('[data-testid="stImage"] img, [data-testid="stFullScreenFrame"] img')];
  return {charts: plots.length, drawn: drawn.length, bytes: bytes, images: images.length};
}"""


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    """Until Streamlit's script has finished its run (the app's own 'ready')."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def chart_state(page) -> dict:
    """``{"charts", "drawn", "bytes", "images"}`` of the page as it is now."""
    return page.evaluate(CHARTS_JS)


def wait_charts_drawn(page, started: float, settle_s: float = 0.4, timeout_s: float = 60.0) -> tuple[float, dict]:
    """Seconds from ``started`` (a ``time.perf_counter()``) until every chart on the page is drawn and no new one
    has appeared for ``settle_s``; and the page's chart state then. A page without charts answers at once."""
    import time

    last_change, last = time.perf_counter(), None
    while time.perf_counter() - started < timeout_s:
        state = chart_state(page)
        if state != last:
            last_change, last = time.perf_counter(), state
        elif state["charts"] == state["drawn"] and time.perf_counter() - last_change >= settle_s:
            return last_change - started, state
        page.wait_for_timeout(50)
    raise TimeoutError(f"charts not drawn within {timeout_s:.0f} s: {last}")

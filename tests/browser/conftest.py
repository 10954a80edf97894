"""Real-browser fixtures: a Streamlit server on a free loopback port, and Debian's Chromium.

Each pytest-xdist worker has its own server, log and cache folder (``-gw0``, ``-gw1``, ...), and its own Chromium.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import ARTIFACTS

from rnnviz.testing.app_server import app_server
from rnnviz.testing.chromium import CHROMIUM, CHROMIUM_ARGS

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... under pytest-xdist, "" without it
SUFFIX = f"-{WORKER}" if WORKER else ""


# Rows of ``bench scaling --json`` for the Train page's scaling chart when docs/ has none (a fresh checkout): the
# server reads them through $RNNVIZ_SCALING_JSON, so the chart is drawn in Chromium without a bench run.
SCALING_ROWS = [
    {
        "measure": measure,
        "cell": cell,
        "label": label,
        "mode": mode,
        "seq_len": seq_len,
        "tokens_per_s": speed * seq_len,
    }
    for measure, cell, label, mode, speed in (
        ("training", "gru", "GRU", "fused", 40.0),
        ("training", "mingru", "minGRU", "parallel", 90.0),
        ("generation", "gru", "GRU", "step", 4.0),
    )
    for seq_len in (64, 256, 1024)
]


def scaling_figures() -> dict:
    """The server's environment for the scaling chart: none where docs/scaling-*.json (or the variable) names some."""
    from rnnviz.charlm.scaling import RESULTS_ENV, results_files

    if results_files():
        return {}
    path = ARTIFACTS / f"scaling-browser{SUFFIX}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(SCALING_ROWS))
    return {RESULTS_ENV: str(path)}


@pytest.fixture(scope="session")
def app_url():
    log, cache = ARTIFACTS / f"streamlit{SUFFIX}.log", ARTIFACTS / f"cache{SUFFIX}"
    try:
        with app_server(log, {"RNNVIZ_CACHE_DIR": str(cache), **scaling_figures()}) as server:
            yield server.url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _desktop(chromium):
    """One desktop browser context for the session's ``tab``s: they share its HTTP cache and compiled scripts (a
    fresh context per test parsed and compiled Streamlit's frontend again: about 2.5 s of CPU a test on 2 cores),
    never its cookies or storage (cleared after every test). It prefers reduced motion, as a student may: charts
    draw without transitions and the status icon does not spin (the accessibility walk of every page: 6 s of
    Chromium's compositor CPU down to 1.4 s)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1700}, reduced_motion="reduce")
    yield context
    context.close()


@pytest.fixture
def tab(_desktop):
    page = _desktop.new_page()
    page.set_default_timeout(60_000)
    yield page
    from playwright.sync_api import Error

    try:
        if page.url.startswith("http"):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    except Error:
        pass  # a page that crashed or was closed by its test
    finally:
        page.close()
        _desktop.clear_cookies()

"""Real-browser fixtures: a Streamlit server on a free loopback port, and Debian's Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ARTIFACTS

from rnnviz.testing.app_server import app_server
from rnnviz.testing.chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def app_url():
    try:
        with app_server(ARTIFACTS / "streamlit.log", {"RNNVIZ_CACHE_DIR": str(ARTIFACTS / "cache")}) as server:
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


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1700})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()

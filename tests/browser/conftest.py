"""Real-browser fixtures: a Streamlit server on a free loopback port, and Debian's Chromium.

Each pytest-xdist worker has its own server, log and cache folder (``-gw0``, ``-gw1``, ...), and its own Chromium.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import ARTIFACTS

from rnnviz.testing.app_server import app_server
from rnnviz.testing.chromium import CHROMIUM, CHROMIUM_ARGS

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... under pytest-xdist, "" without it
SUFFIX = f"-{WORKER}" if WORKER else ""
DESKTOP = {"width": 1400, "height": 1700}


@pytest.fixture(scope="session")
def app_url():
    log, cache = ARTIFACTS / f"streamlit{SUFFIX}.log", ARTIFACTS / f"cache{SUFFIX}"
    try:
        # the Train page's scaling chart draws the committed docs/scaling-cpu.json (``bench scaling --json``)
        with app_server(log, {"RNNVIZ_CACHE_DIR": str(cache)}) as server:
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
    context = chromium.new_context(viewport=DESKTOP, reduced_motion="reduce")
    yield context
    context.close()


@pytest.fixture
def new_context(chromium):
    """``new_context(**options)``: a browser context for one of a test's several visitors, closed after the test. A
    page left open goes on polling its server (a class's counts, a live run's redraws), or retrying a server that
    was stopped, and drawing all the while: Chromium's CPU for the rest of the session, taken from the tests after."""
    made = []

    def make(**options):
        options.setdefault("reduced_motion", "reduce")  # as the desktop's tab: no spinning icon, no transitions
        made.append(chromium.new_context(**options))
        return made[-1]

    yield make
    from playwright.sync_api import Error

    for context in made:
        try:
            context.close()
        except Error:
            pass  # closed by its test already


class _ReusedTab:
    """The worker's one tab of a context (the desktop's, the phone's), handed to test after test: a page opened
    afresh for each test started a new renderer process with a cold script engine
    (``python -m pytest -n 0 tests/browser/test_chinese_and_offline.py``: 131 s of the machine's busy CPU, read from
    /proc/stat, with a page a test; 92 s with the one tab; interleaved runs). Between tests it holds nothing of the
    last: the listeners a test added with ``on`` are removed, storage and cookies cleared, its timeout and viewport
    set back, and it waits on its server's health check, which ends the app's session (no poll or live chart goes on
    drawing) and keeps the renderer."""

    def __init__(self, context, viewport: dict = DESKTOP):
        self.context, self.page, self.viewport = context, None, viewport

    def take(self):
        if self.page is None or self.page.is_closed():
            self.page = self.context.new_page()
        page, added = self.page, []
        page.set_default_timeout(60_000)

        def on(event, handler):
            added.append((event, handler))
            type(page).on(page, event, handler)

        page.on = on
        return page, added

    def give_back(self, added) -> None:
        from urllib.parse import urlparse

        from playwright.sync_api import Error

        page = self.page
        del page.on
        for event, handler in added:
            page.remove_listener(event, handler)
        try:
            if page.is_closed():
                return
            if page.url.startswith("http"):
                page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            if page.viewport_size != self.viewport:
                page.set_viewport_size(self.viewport)
            url = urlparse(page.url)
            try:
                page.goto(
                    f"{url.scheme}://{url.netloc}/_stcore/health" if url.scheme.startswith("http") else "about:blank"
                )
            except Error:
                page.goto("about:blank")  # its server was stopped by the test
        except Error:
            page.close()  # a page that crashed: the next test gets a new one
        finally:
            self.context.clear_cookies()


@pytest.fixture(scope="session")
def _reused_tab(_desktop):
    return _ReusedTab(_desktop)


@pytest.fixture
def tab(_reused_tab):
    page, added = _reused_tab.take()
    yield page
    _reused_tab.give_back(added)


@pytest.fixture(scope="session")
def _reused_phone_tab(chromium):
    from rnnviz.testing.chromium import PHONE

    context = chromium.new_context(**PHONE, reduced_motion="reduce")  # as the desktop's tab
    yield _ReusedTab(context, PHONE["viewport"])
    context.close()


@pytest.fixture
def phone(_reused_phone_tab):
    """The worker's one phone tab (``PHONE``: 390 px, touch), handed from test to test as ``tab`` is."""
    page, added = _reused_phone_tab.take()
    yield page
    _reused_phone_tab.give_back(added)


class ReplicaPair:
    """Two app servers behind deploy/nginx.conf on loopback, with one class database (SQLite in a folder of the
    worker's) and a public address for the class links: started on the first ``get()`` and kept for every test of
    the worker that needs replicas (each start costs two servers' imports and their pages' first visits). A test
    that stops a replica calls ``retire()``, so the next ``get()`` starts a fresh pair."""

    def __init__(self, folder: Path):
        self.folder, self.started, self._stack, self._current = folder, 0, None, None

    def get(self) -> tuple[list, str, Path]:
        """The servers (``.url``, ``.pid``), the proxy's URL and nginx's folder (its access log names each
        request's affinity key and the replica that answered it)."""
        if self._current is None:
            from contextlib import ExitStack

            from rnnviz.testing.nginx_proxy import nginx_proxy

            self.started += 1
            run = self.folder / f"pair-{self.started}"
            env = {
                "RNNVIZ_DATABASE_URL": f"sqlite:///{run / 'class.sqlite3'}",
                "RNNVIZ_PUBLIC_URL": "http://rnnviz.test",
            }
            run.mkdir(parents=True)
            self._stack = ExitStack()
            try:
                servers = [
                    self._stack.enter_context(app_server(ARTIFACTS / f"replica{SUFFIX}-{i}.log", env)) for i in range(2)
                ]
                url = self._stack.enter_context(nginx_proxy([s.url for s in servers], run / "nginx"))
            except BaseException:
                self._stack.close()
                raise
            self._current = (servers, url, run / "nginx")
        return self._current

    def retire(self) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack, self._current = None, None


@pytest.fixture(scope="session")
def replica_pair(tmp_path_factory):
    from rnnviz.testing.nginx_proxy import nginx_installed

    if not nginx_installed():
        pytest.skip("nginx is not installed (.ci/run installs it)")
    pair = ReplicaPair(tmp_path_factory.mktemp("replicas"))
    yield pair
    pair.retire()

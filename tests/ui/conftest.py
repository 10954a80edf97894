"""AppTest, once per process where the server does it once: Streamlit's scan of the installed packages for custom
components.

A running server scans every installed distribution's metadata for component manifests once, at start-up
(``Runtime``); AppTest does it again for every ``AppTest`` it builds, and the pages' tests build one for every page
they open: 0.25-0.3 s each on 2 cores, about a fifth of an AppTest page test's time. The packages do not change
while the suite runs, so the first scan's answer is kept, as the server keeps its own.
"""

from __future__ import annotations

import functools

import pytest
from streamlit.components.v2 import manifest_scanner


@pytest.fixture(scope="session", autouse=True)
def _components_scanned_once():
    scan = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    yield
    manifest_scanner.scan_component_manifests = scan

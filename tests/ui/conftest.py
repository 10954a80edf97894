"""AppTest, once per process where the server does it once: Streamlit's scan of the installed packages for custom
components.

A running server scans every installed distribution's metadata for component manifests once, at start-up
(``Runtime``); AppTest does it again for every ``AppTest`` it builds, and the pages' tests build one for every page
they open (``scan_component_manifests()``: 0.3 s on 2 cores; ``python -m pytest -n 0 tests/ui/test_page_lessons.py
tests/ui/test_page_inspect_generate.py``: 85 and 95 s scanning every time, 76 and 89 s with this, interleaved). The
packages do not change while the suite runs, so the first scan's answer is kept, as the server keeps its own. Where
a Streamlit release moves the scanner, nothing is kept and nothing breaks.
"""

from __future__ import annotations

import functools

import pytest


@pytest.fixture(scope="session", autouse=True)
def _components_scanned_once():
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:
        yield
        return
    scan = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    yield
    manifest_scanner.scan_component_manifests = scan

"""The files the Dockerfile copies are the whole app: serve them alone and open every page.

No Docker engine runs on this project's machines, so the image itself is not built here; this checks
what can go wrong in it without Docker: a module, page, checkpoint or setting the COPY lines forget.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from helpers import ARTIFACTS, ROOT

from rnnviz.testing.app_server import app_server

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def copied_paths() -> list[str]:
    """The sources of the Dockerfile's COPY lines that come from the project (requirements are installed, not run)."""
    paths = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        match = re.match(r"COPY\s+(.+?)\s+\S+$", line.strip())
        if match:
            paths += match.group(1).split()
    return paths


def test_the_dockerfile_copies_the_app_and_its_settings():
    paths = copied_paths()
    assert {"app.py", "pages", "rnnviz", "pretrained", ".streamlit"} <= set(paths)


@pytest.fixture(scope="module")
def image_url(tmp_path_factory):
    """The app served from a copy of the COPY lines' files alone (one server for every page of the check)."""
    image = tmp_path_factory.mktemp("image")
    for path in copied_paths():
        source = ROOT / path
        if source.is_dir():
            shutil.copytree(source, image / path, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, image / path)
    env = {"PYTHONPATH": "", "RNNVIZ_CACHE_DIR": str(ARTIFACTS / "cache")}  # rnnviz comes from the copy only
    assert "PYTHONPATH" not in os.environ or ROOT.as_posix() not in os.environ["PYTHONPATH"]
    with app_server(ARTIFACTS / "container-files.log", env, root=image) as server:
        yield server.url


@pytest.mark.parametrize("page, heading", [("", "rnnviz"), ("Train", "Train"), ("Generate", "Generate")])
def test_the_copied_files_alone_serve_the_pages(image_url, tab, page, heading):
    tab.goto(f"{image_url}/{page}")
    tab.wait_for_selector(IDLE)
    assert heading in tab.locator("h1").first.inner_text()
    assert tab.get_by_test_id("stException").count() == 0

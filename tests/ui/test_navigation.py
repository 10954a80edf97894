"""One page list: the page files (``app.py`` and the numbered files in ``pages/``) and the table in
``rnnviz/ui/navigation.py`` (HOME, LEARN, LABS) name the same pages, and every row has its words in every catalogue.

Streamlit's ``pages/`` folder mode finds the files itself, while the sidebar and the home page draw the table: a file
left out of the table is a page nobody can reach from the sidebar, and a row naming no file breaks every page.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import ROOT

from rnnviz.i18n import LANGUAGES, catalogue
from rnnviz.ui.home import lab_card_key
from rnnviz.ui.navigation import HOME, LABS, LEARN, nav_key

ROWS = [HOME, *LEARN, *LABS]
SECTIONS = ["nav.learn", "nav.labs"]  # the sidebar's headings, named by no row
AGREE = {"unlisted": [], "not_found": [], "listed_twice": []}


def disagreements(found: list[str], listed: list[str]) -> dict[str, list[str]]:
    """How a list falls short of naming what was found, each once: ``unlisted`` (found, not listed), ``not_found``
    (listed, not found), ``listed_twice``; ``AGREE`` when it names each one once."""
    return {
        "unlisted": [name for name in found if name not in listed],
        "not_found": [name for name in listed if name not in found],
        "listed_twice": sorted({name for name in listed if listed.count(name) > 1}),
    }


def test_the_comparison_finds_every_kind_of_disagreement():
    """The checks below can fail: a wrong list is caught whichever way it is wrong."""
    files = ["app.py", "pages/0_Lessons.py", "pages/1_Train.py"]
    assert disagreements(files, list(files)) == AGREE
    assert disagreements(files, ["app.py", "pages/1_Train.py"])["unlisted"] == ["pages/0_Lessons.py"]
    assert disagreements(files, [*files, "pages/9_Nowhere.py"])["not_found"] == ["pages/9_Nowhere.py"]
    assert disagreements(files, [*files, "pages/1_Train.py"])["listed_twice"] == ["pages/1_Train.py"]
    assert disagreements(page_files(), [path for path, _, _ in ROWS[:-1]])["unlisted"] == [LABS[-1][0]]


def page_files() -> list[str]:
    return ["app.py", *sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py"))]


def test_every_page_file_has_one_row_and_every_row_a_file():
    assert disagreements(page_files(), [path for path, _, _ in ROWS]) == AGREE


def setup_page_title(path: str) -> str | None:
    """The name a page file passes to ``setup_page`` (its title and the sidebar's name of it)."""
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setup_page" and node.args:
            return ast.literal_eval(node.args[0])
    return None


@pytest.mark.parametrize("path, name", [(path, name) for path, name, _ in ROWS])
def test_each_row_names_its_page_as_the_file_does(path, name):
    """The row's name is the file's own (``pages/2_Inspect.py`` is Inspect, its URL /Inspect) and the one the page
    gives ``setup_page``: three spellings of one name that must not drift apart."""
    if path != HOME[0]:
        assert Path(path).stem.split("_", 1)[1] == name
    assert setup_page_title(path) == name


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_row_has_its_words_in_every_catalogue(language):
    """Each row's name (``nav.NAME``) and each lab's home-page card (``home.lab.NAME``), in every language; and no
    such key outlives its row."""
    words = catalogue(language)
    names = [nav_key(name) for _, name, _ in ROWS] + SECTIONS
    assert disagreements(sorted(key for key in words if key.startswith("nav.")), names) == AGREE
    cards = [lab_card_key(name) for _, name, _ in LABS]
    assert disagreements(sorted(key for key in words if key.startswith("home.lab.")), cards) == AGREE

"""The maps stay true: every file the docs name exists, every module is on ARCHITECTURE.md, and every test that
docs/robustness.md cites is a real test."""

import ast
import re

from helpers import ROOT

DOCS = ["README.md", "ARCHITECTURE.md", "docs/robustness.md", "pretrained/README.md"]


def _backticked(text: str) -> list[str]:
    return re.findall(r"`([^`\s]+)`", text)


def test_paths_named_in_the_docs_exist():
    missing = []
    for doc in DOCS:
        for token in _backticked((ROOT / doc).read_text()):
            if re.match(r"^(rnnviz|tests|bench|pages|docs|pretrained)/[\w./-]*$", token):
                path = token.split("::")[0]
                if not (ROOT / path).exists():
                    missing.append(f"{doc}: {token}")
    assert missing == []


def test_every_module_is_on_the_architecture_map():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    named = set(re.findall(r"`([\w/.]+)`", text))
    named |= {part for token in list(named) for part in re.split(r"[/.]", token)}
    absent = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "rnnviz").rglob("*.py")
        if path.stem not in ("__init__", "__main__") and path.stem not in named
    ]
    assert absent == [], "name them in ARCHITECTURE.md"


def test_tests_cited_by_the_robustness_table_exist():
    defined = {
        node.name
        for path in (ROOT / "tests").rglob("test_*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }
    cited = {name for name in _backticked((ROOT / "docs" / "robustness.md").read_text()) if name.startswith("test_")}
    assert cited and cited <= defined, sorted(cited - defined)

"""The layout ARCHITECTURE.md describes, held by the imports themselves (parsed with ast, nothing imported).

- no import cycles between rnnviz's modules;
- streamlit only inside ``rnnviz/ui/``;
- charts take plain data: nothing in ``rnnviz/charts/`` imports torch or ``rnnviz.introspect``;
- imports go one way, down the layers: ui -> cli, lessons -> labs, live, charts -> pretrained -> introspect, seq2seq,
  tagging, classify -> charlm, recurrent, classroom -> the base modules (cells, limits, device, links, tokens). A
  package may import from a lower layer and from itself, never from a higher layer nor from another package of its
  own layer;
- at most 12 modules flat in ``rnnviz/``; every package opens with a docstring.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

PACKAGE = ROOT / "rnnviz"
LAYERS = {  # top-level part of rnnviz -> its layer: imports only go to a lower layer or inside the same part
    "ui": 7,
    "cli": 6,
    "lessons": 6,
    "testing": 6,
    "labs": 5,
    "live": 5,
    "charts": 5,
    "pretrained": 4,
    "introspect": 3,
    "seq2seq": 3,
    "tagging": 3,
    "classify": 3,
    "charlm": 2,
    "classroom": 2,
    "cells": 1,
    "limits": 1,
    "device": 1,
    "links": 1,
    "tokens": 1,
    "i18n": 1,
    "recurrent": 2,
    "__init__": 0,
}
ENTRY_POINTS = {"__main__"}  # runs the CLI; imported by nothing


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module named by an import in the file, at any depth (function-level imports count too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # from pkg import module
    return names


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert find_cycles(graph()) == []


def test_streamlit_only_in_ui():
    offenders = [
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if any(name.split(".")[0] == "streamlit" for name in imports_of(path))
        and not module_name(path).startswith("rnnviz.ui")
    ]
    assert offenders == []


def test_charts_take_plain_data():
    """Charts are pure functions from plain data to figures (tested on a few hand-written numbers): a view converts
    a trace or a tensor first (``introspect/chart_data.py``), so no chart needs torch or a trace's type."""
    offenders = [
        f"{module_name(path)} imports {name}"
        for path in (PACKAGE / "charts").rglob("*.py")
        for name in imports_of(path)
        if name.split(".")[0] == "torch" or name.startswith("rnnviz.introspect")
    ]
    assert offenders == []


def test_every_part_has_a_layer():
    parts = {part_of(name) for name in graph()} - ENTRY_POINTS
    assert parts <= set(LAYERS), f"add {sorted(parts - set(LAYERS))} to LAYERS and to ARCHITECTURE.md"


def test_imports_follow_the_layers():
    wrong = []
    for source, targets in graph().items():
        if part_of(source) in ENTRY_POINTS:
            continue
        for target in targets:
            a, b = part_of(source), part_of(target)
            if a != b and LAYERS[b] >= LAYERS[a]:
                wrong.append(f"{source} (layer {LAYERS[a]}) imports {target} (layer {LAYERS[b]})")
    assert wrong == []


def test_few_flat_modules_and_every_package_says_what_it_holds():
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(flat) <= 12, flat
    for init in PACKAGE.rglob("__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text()))
        assert docstring and 2 <= len(docstring.splitlines()) <= 6, init


def test_tests_mirror_the_package():
    """Each test folder is named after the package folder it tests (browser tests drive the whole app)."""
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders - {"browser"} <= packages, folders - packages - {"browser"}
    assert {"charlm", "introspect", "labs", "live", "ui"} <= folders

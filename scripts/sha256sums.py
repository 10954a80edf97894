"""The ``SHA256SUMS`` file beside a committed data extract: the options every rebuild script takes, and the check
that tells which rebuilt files differ from what was committed (shared by ``build_*_data.py``)."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    parser.add_argument("--record", action="store_true", help="write SHA256SUMS from this build (maintainers)")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded(folder: Path) -> dict[str, str]:
    sums = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        value, name = line.split()
        sums[name] = value
    return sums


def check(folder: Path, sums: dict[str, str], record: bool) -> list[str]:
    """The names whose digest differs from ``folder/SHA256SUMS`` (after writing ``sums`` there with ``record``)."""
    if record:
        (folder / "SHA256SUMS").write_text("".join(f"{value}  {name}\n" for name, value in sums.items()))
    expected = recorded(folder)
    return [name for name in sums if sums[name] != expected.get(name)]


def report(folder: Path, bad: list[str], wrote: bool) -> int:
    if bad:
        print(f"sha256 differs from SHA256SUMS: {', '.join(bad)}", file=sys.stderr)
        return 1
    print("all match SHA256SUMS" + (f"; written to {folder}" if wrote else ""))
    return 0

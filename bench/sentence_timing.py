"""What the Tag and Classify speed benches share: timing a sentence through the backend, and a page's rerun
after a new sentence is typed (AppTest, the page's whole script)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def report(label: str, seconds: list[float], unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1
    median = sorted(seconds)[len(seconds) // 2] * scale
    digits = 0 if unit == "ms" else 2
    print(
        f"{label}: median {median:.{digits}f} {unit}, worst {max(seconds) * scale:.{digits}f} {unit} over "
        f"{len(seconds)}"
    )


def backend_seconds(sentences: list[str], read: Callable[[str], None], rounds: int = 3) -> list[float]:
    """Seconds of ``read(sentence)`` for each sentence, ``rounds`` times, after one untimed warm-up call (the first
    call pays for lazy imports and caches, which a served page has paid long before)."""
    read(sentences[0])
    times = []
    for _ in range(rounds):
        for text in sentences:
            started = time.perf_counter()
            read(text)
            times.append(time.perf_counter() - started)
    return times


def page_rerun_seconds(page: str, box: str, key: str, sentences: list[str]) -> list[float]:
    """Open ``pages/PAGE`` (its models load once), then for each sentence: type it in the ``box`` ("text_input" or
    "text_area") with ``key`` and time the rerun."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(f"pages/{page}").run()
    times = []
    for text in sentences * 2:
        getattr(at, box)(key=key).set_value(text)
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    assert not at.exception, at.exception
    return times

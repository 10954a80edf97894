"""Each lesson step's experiment, run headless as the page runs it: its time and what it revealed.

The lessons' defaults come from these numbers: every step must reveal its result within 90 s on 2 CPU cores.
Also the time the page takes to move from one step to the next (AppTest, the page's whole script), which must
stay under 1 s: moving runs no experiment.
Usage: python bench/lessons.py [--lesson KEY] [--json] [--navigation-only]
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from rnnviz.lessons.catalogue import LESSONS
from rnnviz.lessons.experiments import run_headless
from rnnviz.limits import LIMITS

TARGET_S = 90.0
NAVIGATION_TARGET_S = 1.0


def navigation_seconds(lesson_key: str, steps: int) -> list[float]:
    """Seconds for each click on Next, through the real page (the Streamlit script runs in full)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["lesson"], at.query_params["step"] = lesson_key, "1"
    at.run()
    at.switch_page("pages/0_Lessons.py").run()
    times = []
    for _ in range(steps):
        started = time.perf_counter()
        at.button(key="lesson.next").click().run()
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", choices=sorted(LESSONS), default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--navigation-only", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(LIMITS.torch_threads)  # the app's one thread per session
    rows = []
    for lesson in LESSONS.values():
        if args.lesson not in (None, lesson.key):
            continue
        moves = navigation_seconds(lesson.key, len(lesson.steps))
        rows.append(
            {
                "lesson": lesson.key,
                "step": "next",
                "key": "navigation",
                "seconds": round(max(moves), 2),
                "within_target": max(moves) <= NAVIGATION_TARGET_S,
                "revealed": f"slowest Next {max(moves):.2f} s, mean {sum(moves) / len(moves):.2f} s",
            }
        )
        if not args.json:
            print(
                f"{lesson.key:10s} - moving between steps: slowest {max(moves):.2f} s, mean "
                f"{sum(moves) / len(moves):.2f} s",
                flush=True,
            )
        if args.navigation_only:
            continue
        for number, step in enumerate(lesson.steps, start=1):
            started = time.perf_counter()
            result = run_headless(step.experiment, step.values(), chunk_seconds=0.1)  # the worker's chunk size
            seconds = time.perf_counter() - started
            summary = step.experiment.summarise(result)
            rows.append(
                {
                    "lesson": lesson.key,
                    "step": number,
                    "key": step.key,
                    "seconds": round(seconds, 1),
                    "within_target": seconds <= TARGET_S,
                    "revealed": summary,
                }
            )
            if not args.json:
                mark = "ok" if seconds <= TARGET_S else f"OVER {TARGET_S:.0f} s"
                print(f"{lesson.key:10s} {number} {step.key:24s} {seconds:6.1f} s {mark}: {summary}", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0 if all(row["within_target"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

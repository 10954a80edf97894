"""Each lesson step's experiment, run headless as the page runs it: its time and what it revealed.

The lessons' defaults come from these numbers: every step must reveal its result within 90 s on 2 CPU cores.
Usage: python bench/lessons.py [--lesson KEY] [--json]
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from rnnviz.lessons.catalogue import LESSONS
from rnnviz.lessons.experiments import EXPERIMENTS, run_headless
from rnnviz.limits import LIMITS

TARGET_S = 90.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", choices=sorted(LESSONS), default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(LIMITS.torch_threads)  # the app's one thread per session
    rows = []
    for lesson in LESSONS.values():
        if args.lesson not in (None, lesson.key):
            continue
        for number, step in enumerate(lesson.steps, start=1):
            started = time.perf_counter()
            result = run_headless(step.experiment, step.values(), chunk_seconds=0.1)  # the worker's chunk size
            seconds = time.perf_counter() - started
            summary = EXPERIMENTS[step.experiment].summarise(result)
            rows.append({"lesson": lesson.key, "step": number, "key": step.key, "seconds": round(seconds, 1),
                         "within_target": seconds <= TARGET_S, "revealed": summary})  # fmt: skip
            if not args.json:
                mark = "ok" if seconds <= TARGET_S else f"OVER {TARGET_S:.0f} s"
                print(f"{lesson.key:10s} {number} {step.key:24s} {seconds:6.1f} s {mark}: {summary}", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0 if all(row["within_target"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

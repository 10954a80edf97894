"""Each lesson step's experiment, run headless as the page runs it: its time and what it revealed.

The lessons' defaults come from these numbers: every step must reveal its result within 90 s on 2 CPU cores.
Also the time the page takes to move from one step to the next (AppTest, the page's whole script), which must
stay under 1 s: moving runs no experiment.

``--browser``: every live step as a student meets it, in Chromium on this machine (the app served by its own
process, the browser beside it): open the step's link, pick an answer, lock it in, press Run, and time from the
press to the first chart drawn and to the verdict ("You were right." or "Not this time."). Target: 60 s.
Usage: python bench/lessons.py [--lesson KEY] [--json] [--navigation-only | --browser]
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
BROWSER_TARGET_S = 60.0
VERDICT = "[data-testid='stAlertContentSuccess'], [data-testid='stAlertContentWarning']"


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


def browser_rows(lesson_keys: list[str], print_rows: bool) -> list[dict]:
    """Press-Run-to-reveal of every live step of ``lesson_keys`` in Chromium, one fresh browser tab a step."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from rnnviz.testing.app_server import app_server
    from rnnviz.testing.chromium import CHROMIUM, CHROMIUM_ARGS, chart_state, wait_idle

    log = Path(__file__).resolve().parents[1] / "test-artifacts" / "lessons_browser.log"
    log.parent.mkdir(exist_ok=True)
    rows = []
    with app_server(log) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for key in lesson_keys:
            lesson = LESSONS[key]
            for number, step in enumerate(lesson.steps, start=1):
                if not step.experiment.live:
                    continue
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.goto(f"{server.url}/Lessons?lesson={key}&step={number}")
                wait_idle(page)
                page.get_by_test_id("stMain").get_by_test_id("stRadio").locator(
                    "label:has(input[type=radio])"
                ).first.click()
                wait_idle(page)
                page.get_by_test_id("stButton").filter(has_text="Lock in my answer").click()
                wait_idle(page)
                run = page.get_by_test_id("stButton").filter(has_text="Run the experiment")
                run.wait_for()
                started = time.perf_counter()
                run.click()
                first_chart = None
                while time.perf_counter() - started < 600:
                    if first_chart is None and chart_state(page)["drawn"]:
                        first_chart = time.perf_counter() - started
                    if page.locator(VERDICT).count():
                        break
                    page.wait_for_timeout(100)
                seconds = time.perf_counter() - started
                revealed = page.locator(VERDICT).count() > 0
                context.close()
                row = {
                    "lesson": key,
                    "step": number,
                    "key": step.key,
                    "browser_seconds": round(seconds, 1),
                    "first_chart_seconds": None if first_chart is None else round(first_chart, 1),
                    "within_target": revealed and seconds <= BROWSER_TARGET_S,
                }
                rows.append(row)
                if print_rows:
                    mark = "ok" if row["within_target"] else f"OVER {BROWSER_TARGET_S:.0f} s"
                    shown = "never" if first_chart is None else f"{first_chart:.1f} s"
                    print(
                        f"{key:10s} {number} {step.key:24s} run to reveal {seconds:6.1f} s (first chart {shown}) "
                        f"{mark}",
                        flush=True,
                    )
        browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", choices=sorted(LESSONS), default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--navigation-only", action="store_true")
    parser.add_argument("--browser", action="store_true", help="each live step in Chromium: press Run to the verdict")
    args = parser.parse_args()
    if args.browser:
        keys = [key for key in LESSONS if args.lesson in (None, key)]
        rows = browser_rows(keys, print_rows=not args.json)
        if args.json:
            print(json.dumps(rows, indent=2))
        return 0 if all(row["within_target"] for row in rows) else 1
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

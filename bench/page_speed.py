"""Inspect page render time and generation speed on this machine's CPU; with ``--browser``, every page in Chromium.

    python bench/page_speed.py
    python bench/page_speed.py --browser [--json] [--repeats 3]

``--browser``: the app on a loopback port and Debian's Chromium on the same machine, as a student meets it. For every
page, from a click on its sidebar link: click-to-ready (Streamlit's script has finished), click-to-charts (every
Plotly figure drawn, none appearing for 0.4 s), the JSON of the figures drawn, and the bytes the server sent over
its websocket for the page view (compressed). Goals: 1.5 s to the charts and 200 KB of chart JSON per view. Each
page is visited ``--repeats`` times (the first visit of a fresh server pays its imports and model loads: the median
is the figure).

Inspect: a 1,000-character trace of the 2-layer, 256-unit python-code LSTM, every panel of every
tab (AppTest renders all tabs), timed as one page rerun after the model is loaded. Generation:
characters per second of ``stream_generate`` for the same model, and through the Generate page.
"""

from __future__ import annotations

import time
from pathlib import Path

import torch
from streamlit.testing.v1 import AppTest

from rnnviz.charlm.corpora import python_code_text
from rnnviz.charlm.generation import SamplingConfig, generate
from rnnviz.limits import LIMITS
from rnnviz.pretrained import load_pretrained

ROOT = Path(__file__).resolve().parents[1]

MODEL = "python-code-lstm"


def browser_pages(repeats: int, only: str | None = None) -> list[dict]:
    """Each page (or the one named ``only``) reached through the sidebar from Home, ``repeats`` times: seconds and
    chart bytes per visit."""
    import statistics

    from playwright.sync_api import sync_playwright

    from rnnviz.testing.app_server import app_server
    from rnnviz.testing.chromium import CHROMIUM, CHROMIUM_ARGS, wait_charts_drawn, wait_idle
    from rnnviz.ui.navigation import LABS, LEARN

    rows = []
    log = ROOT / "test-artifacts" / "page_speed.log"
    log.parent.mkdir(exist_ok=True)
    with app_server(log, {}) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        received: list[int] = []  # the size of every websocket frame the server sent
        page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(len(frame))))
        page.goto(server.url)
        wait_idle(page)
        for _, name, _ in LEARN + LABS:
            if only is not None and name != only:
                continue
            ready, charts, sizes = [], [], []
            for _ in range(repeats):
                page.goto(server.url)
                wait_idle(page)
                link = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(has_text=name).first
                mark = len(received)
                started = time.perf_counter()
                link.click()
                page.wait_for_function(f"document.title.startsWith('{name}')", timeout=60_000)
                wait_idle(page)
                ready.append(time.perf_counter() - started)
                drawn_s, state = wait_charts_drawn(page, started)
                charts.append(max(drawn_s, ready[-1]))
                sizes.append({**state, "sent": sum(received[mark:])})
            rows.append(
                {
                    "page": name,
                    "click_to_ready_s": round(statistics.median(ready), 2),
                    "click_to_charts_s": round(statistics.median(charts), 2),
                    "slowest_s": round(max(charts), 2),
                    "charts": sizes[-1]["charts"],
                    "chart_kb": round(sizes[-1]["bytes"] / 1000, 1),
                    "sent_kb": round(statistics.median(size["sent"] for size in sizes) / 1000, 1),
                }
            )
        browser.close()
    return rows


def main() -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="every page in Chromium: click to charts, chart bytes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--page", default=None, help="only this page (its sidebar name: Tag, Inspect...)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.browser:
        rows = browser_pages(args.repeats, args.page)
        if args.json:
            print(json.dumps(rows, indent=2))
        for row in [] if args.json else rows:
            print(
                f"{row['page']:10s} ready {row['click_to_ready_s']:5.2f} s, charts {row['click_to_charts_s']:5.2f} s "
                f"(slowest {row['slowest_s']:.2f} s), {row['charts']} charts drawn, "
                f"{row['chart_kb']:7.1f} KB of chart JSON, "
                f"{row['sent_kb']:7.1f} KB sent"
            )
        return 0 if all(r["click_to_charts_s"] <= 1.5 and r["chart_kb"] <= 200 for r in rows) else 1
    torch.set_num_threads(LIMITS.torch_threads)
    text = python_code_text()[50_000:51_000]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/2_Inspect.py").run()
    at.selectbox(key="inspect.model").set_value(f"{MODEL} (pretrained)").run()
    at.text_area(key="inspect.text").set_value(text).run()  # warm-up with this text
    times = []
    for _ in range(3):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    assert not at.exception, at.exception
    print(
        f"Inspect page, 1,000 chars, {MODEL} (2x256 LSTM), all panels: best {min(times):.2f} s of {len(times)} reruns"
    )

    ckpt = load_pretrained(MODEL)
    generate(ckpt.model, ckpt.vocab, "def ", SamplingConfig(length=50))
    started = time.perf_counter()
    generate(ckpt.model, ckpt.vocab, "def ", SamplingConfig(length=1000, seed=0))
    print(f"stream_generate: {1000 / (time.perf_counter() - started):,.0f} chars/s")
    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    page.switch_page("pages/3_Generate.py").run()
    page.multiselect(key="generate.models").set_value([f"{MODEL} (pretrained)"]).run()
    page.number_input(key="generate.length").set_value(1000).run()
    started = time.perf_counter()
    page.button(key="generate.go").click().run()
    print(f"Generate page (streaming, redraw every 10 chars): {1000 / (time.perf_counter() - started):,.0f} chars/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Several browser sessions training at once against one server on this machine.

    python bench/load_test.py [--sessions 1 4 8] [--seconds 10]

For each N: N Chromium contexts (N separate Streamlit sessions) open the Train page with the same
small run (three cells, H=64, T=64, B=32), press Start and train for a while. Reported: steps/s
per session, the time one session waits after clicking another page in the sidebar until that
page has finished running, and the server's memory and threads. Then every session is closed and,
once the idle workers have stopped (idle timeouts shortened to 15 s and 5 s for the measurement) and
Streamlit has dropped the sessions, memory and threads are read again.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from rnnviz.serve import app_server  # noqa: E402

QUERY = "hidden=64&emb=32&seq_len=64&batch_size=32&steps=20000&sample_every=200"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]  # fmt: skip
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def steps(page) -> int:
    text = page.get_by_test_id("stProgress").first.inner_text()
    match = re.search(r"([\d,]+) / ", text)
    return int(match.group(1).replace(",", "")) if match else 0


def run_level(browser, url: str, sessions: int, seconds: float) -> dict:
    contexts = [browser.new_context(viewport={"width": 1300, "height": 900}) for _ in range(sessions)]
    pages = [c.new_page() for c in contexts]
    for page in pages:
        page.set_default_timeout(180_000)
        page.goto(f"{url}/Train?{QUERY}")
    for page in pages:
        page.wait_for_selector(IDLE)
        page.get_by_test_id("stButton").filter(has_text=re.compile("^Start$")).click()
    for page in pages:
        page.wait_for_selector(".js-plotly-plot")
    time.sleep(3)
    before = [(steps(p), time.perf_counter()) for p in pages]
    time.sleep(seconds)
    after = [(steps(p), time.perf_counter()) for p in pages]
    rates = [(s1 - s0) / (t1 - t0) for (s0, t0), (s1, t1) in zip(before, after)]
    clicked = time.perf_counter()
    pages[0].get_by_test_id("stSidebarNav").get_by_role("link", name="Generate").click()
    pages[0].wait_for_function("document.title.startsWith('Generate')")
    pages[0].wait_for_selector(IDLE)
    response = time.perf_counter() - clicked
    for context in contexts:
        context.close()
    return {"sessions": sessions, "steps_per_s": rates, "response_s": response}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    env = {"RNNVIZ_IDLE_PAUSE_S": "15", "RNNVIZ_IDLE_EXIT_S": "5"}
    log = ROOT / "test-artifacts" / "load-server.log"
    with app_server(log, env, extra_args=["--server.disconnectedSessionTTL", "5"]) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        warm = browser.new_page()
        warm.goto(f"{server.url}/Train")
        warm.wait_for_selector(IDLE, timeout=120_000)
        warm.close()
        time.sleep(2)
        baseline_mb, baseline_threads = server.rss_mb(), server.threads()
        print(f"server after one page view: {baseline_mb:.0f} MB, {baseline_threads} threads")
        for n in args.sessions:
            result = run_level(browser, server.url, n, args.seconds)
            busy_mb = server.rss_mb()
            time.sleep(30)  # idle workers pause and exit, Streamlit drops the closed sessions
            rates = result["steps_per_s"]
            print(
                f"N={n}: steps/s per session mean {statistics.mean(rates):.1f} (min {min(rates):.1f}), "
                f"click to another page {result['response_s']:.2f} s, server {busy_mb:.0f} MB while training, "
                f"{server.rss_mb():.0f} MB and {server.threads()} threads 30 s after the sessions closed"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

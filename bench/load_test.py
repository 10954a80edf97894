"""Several browser sessions training at once against one server on this machine, or against several replicas
behind deploy/nginx.conf.

    python bench/load_test.py [--sessions 1 4 8] [--seconds 10] [--server-cores 1] [--replicas 2]

For each N: N Chromium contexts (N separate Streamlit sessions) open the Train page with the same
small run (three cells, H=64, T=64, B=32) and press Start. While they train:

- steps/s per session, from the server's own count (the home page's "Server status" panel, read
  through a bare websocket client: bench/ws_probe.py), over ``--seconds``;
- the server's response to a page request: three runs of the Generate page asked for by the
  websocket client (no browser: the time the server takes, queueing included);
- one click on "Generate" in the sidebar of a training session, timed in Chromium until the page
  has finished running. The other N - 1 sessions live in a second Chromium at low CPU priority
  (``nice 15``), so the measured tab gets the browser's core when it needs it, as a student's own
  laptop would give it; all of them tick and train for real;
- the server's resident memory.

Then every session is closed; once the idle workers have stopped (idle timeouts set to 60 s and 5 s
for the measurement) and Streamlit's disconnected-session TTL (5 s here) has passed, the
server's own counts are read again: training threads, live models, memory.

The server is pinned to ``--server-cores`` cores (default: all but one) and Chromium to the rest,
so the browser's rendering, which on a class's laptops would not touch the server, takes no server core.

With ``--replicas R``, R servers share those cores behind nginx (deploy/nginx.conf on loopback, its own affinity
cookie); the browsers go through nginx, the server's own counts are read from each replica and added up, and the
memory is each replica's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from ws_probe import page_run

from rnnviz.testing.app_server import app_server
from rnnviz.testing.chromium import CHROMIUM, CHROMIUM_ARGS, IDLE
from rnnviz.testing.nginx_proxy import nginx_proxy

ROOT = Path(__file__).resolve().parents[1]

QUERY = "hidden=64&emb=32&seq_len=64&batch_size=32&steps=20000&sample_every=200"
CELLS = 3  # the Train page's default cells: RNN (tanh), LSTM, GRU
STATUS_FIELDS = {
    "sessions": r"Sessions: \*\*(\d+)",
    "training_threads": r"training threads: \*\*(\d+)",
    "live_models": r"live models: \*\*(\d+)",
    "rss_mb": r"resident memory: \*\*(\d+) MB",
    "training_slots": r"training slots: \*\*\d+ busy of (\d+)",
}


def replicas_status(urls: list[str]) -> dict:
    """``server_status`` of every replica, added up (sessions, threads, models, memory) or joined (run steps)."""
    each = [server_status(url) for url in urls]
    total = {key: sum(status[key] for status in each) for key in STATUS_FIELDS}
    total["run_steps"] = [steps for status in each for steps in status["run_steps"]]
    total["sessions_per_replica"] = [status["sessions"] for status in each]
    return total


def server_status(url: str) -> dict:
    """The home page's "Server status" panel, opened by its link and read by the websocket client: the server's own
    counts."""
    _, texts = page_run(url, "", query="server_status=true")
    text = " ".join(texts)
    status = {key: int(re.search(pattern, text).group(1)) for key, pattern in STATUS_FIELDS.items()}
    runs = re.search(r"Steps done by each live run \(every cell counted\): ([\d, ]+)", text)
    status["run_steps"] = [int(n) for n in runs.group(1).replace(", ", " ").replace(",", "").split()] if runs else []
    return status


def open_training_sessions(browser, url: str, sessions: int) -> list:
    """Open ``sessions`` Train pages in their own contexts (separate Streamlit sessions) and press Start."""
    contexts = [browser.new_context(viewport={"width": 1300, "height": 900}) for _ in range(sessions)]
    pages = [c.new_page() for c in contexts]
    for page in pages:
        page.set_default_timeout(300_000)
        page.goto(f"{url}/Train?{QUERY}")
    for page in pages:
        page.wait_for_selector(IDLE)
        page.get_by_test_id("stButton").filter(has_text=re.compile("^Start$")).click()
    for page in pages:
        page.wait_for_selector(".js-plotly-plot")
    return contexts


def classroom(url: str, sessions: int) -> None:
    """The other students: their own Chromium at low CPU priority, training until this process is ended."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        open_training_sessions(browser, url, sessions)
        print("ready", flush=True)
        sys.stdin.read()  # until the load test closes our stdin
        browser.close()


def run_level(browser, url: str, sessions: int, seconds: float, replicas: list[str] | None = None) -> dict:
    """``url`` is where the browsers go (a server, or nginx); ``replicas`` the servers to read the counts from."""
    replicas = replicas or [url]
    others = None
    if sessions > 1:  # the N - 1 other students, in a second browser niced below the measured one
        others = subprocess.Popen(
            ["nice", "-n", "15", sys.executable, __file__, "--classroom", url, str(sessions - 1)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if others.stdout.readline().strip() != "ready":
            raise RuntimeError("the classroom browser did not start")
    contexts = open_training_sessions(browser, url, 1)
    time.sleep(3)
    before, started = replicas_status(replicas)["run_steps"], time.perf_counter()
    time.sleep(seconds)
    status = replicas_status(replicas)
    after, ended = status["run_steps"], time.perf_counter()
    rates = [(b - a) / CELLS / (ended - started) for a, b in zip(before, after)] or [0.0]
    server_responses = [page_run(url, "Generate")[0] for _ in range(3)]
    page = contexts[0].pages[0]
    clicked = time.perf_counter()
    page.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(has_text="Generate").first.click()
    page.wait_for_function("document.title.startsWith('Generate')")
    page.wait_for_selector(IDLE)
    browser_click = time.perf_counter() - clicked
    for context in contexts:
        context.close()
    if others is not None:
        others.stdin.close()
        others.wait(timeout=60)
    return {
        "runs": len(after),
        "steps_per_s": rates,
        "server_s": server_responses,
        "browser_s": browser_click,
        "sessions_per_replica": status["sessions_per_replica"],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--server-cores", type=int, default=None, help="default: all cores but one")
    parser.add_argument("--replicas", type=int, default=1, help="servers behind deploy/nginx.conf (1: no proxy)")
    parser.add_argument("--classroom", nargs=2, metavar=("URL", "N"), help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    if args.classroom:
        classroom(args.classroom[0], int(args.classroom[1]))
        return 0
    sys.stdout.reconfigure(line_buffering=True)
    cores = sorted(os.sched_getaffinity(0))
    share = args.server_cores or max(1, len(cores) - 1)
    server_cpus, browser_cpus = (set(cores[:share]), set(cores[share:])) if len(cores) > share else (None, None)
    # a run pauses after 60 s unwatched (N tabs on one browser core tick slowly), its thread exits 5 s later
    env = {"RNNVIZ_IDLE_PAUSE_S": "60", "RNNVIZ_IDLE_EXIT_S": "5"}
    artifacts = ROOT / "test-artifacts"
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(
                app_server(
                    artifacts / f"load-server-{i}.log",
                    env,
                    extra_args=["--server.disconnectedSessionTTL", "5"],
                    cpus=server_cpus,
                )
            )
            for i in range(args.replicas)
        ]
        replicas = [server.url for server in servers]
        url = replicas[0] if args.replicas == 1 else stack.enter_context(nginx_proxy(replicas, artifacts / "nginx"))
        if browser_cpus:
            os.sched_setaffinity(0, browser_cpus)  # Playwright and Chromium inherit it
        where = "" if args.replicas == 1 else f" ({args.replicas} replicas behind nginx at {url})"
        print(f"server on cores {sorted(server_cpus or cores)}{where}, Chromium on {sorted(browser_cpus or cores)}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            run_level(browser, url, 1, 2.0, replicas)  # warm-up: one whole session comes and goes (imports, caches)
            time.sleep(80)
            print(f"after one session came and went: {replicas_status(replicas)}")
            for n in args.sessions:
                result = run_level(browser, url, n, args.seconds, replicas)
                busy_mb = [server.rss_mb() for server in servers]
                time.sleep(80)  # idle workers pause and exit, the janitor frees the sessions past Streamlit's TTL
                after = replicas_status(replicas)
                rates, responses = result["steps_per_s"], result["server_s"]
                print(
                    f"N={n}: {result['runs']} runs training (sessions per replica "
                    f"{result['sessions_per_replica']}); steps/s per session mean {statistics.mean(rates):.1f} "
                    f"(min {min(rates):.1f}, max {max(rates):.1f}); Generate page run as the server answers it "
                    f"{', '.join(f'{r:.2f}' for r in responses)} s; sidebar click in Chromium "
                    f"{result['browser_s']:.2f} s; memory while training {', '.join(f'{mb:.0f}' for mb in busy_mb)} "
                    f"MB per replica; 80 s after the sessions closed: {after}"
                )
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

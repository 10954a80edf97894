"""What live training through the Train page costs against the same training headless.

    python bench/live_overhead.py [--seconds 20]

Both sides train the same three cells (RNN, LSTM, GRU; H=128, T=64, B=32, python-docs) from the
same seed, each in a fresh process with the app's thread setting. "Headless" steps the three
Trainers round-robin (``LanguageModelLab.advance``). "Page" drives the real Train page with Streamlit's
AppTest: Start, then a whole-script rerun every 0.5 s (the fragment's tick; a browser reruns only
the fragment, so this is the heavier case) while the background worker trains. "Browser" (with
``--browser``) opens the page in headless Chromium against a real server and reads the step counter
the page shows: the way a class uses it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import load_corpus
from rnnviz.labs.language_models import LanguageModelLab
from rnnviz.labs.train_settings import TrainSettings

ROOT = Path(__file__).resolve().parents[1]

SETTINGS = dict(hidden_size=128, embed_size=32, seq_len=64, batch_size=32, steps=20_000)
URL = dict(hidden=128, emb=32, seq_len=64, batch_size=32, steps=20_000)


def tokens(run: LanguageModelLab) -> int:
    return sum(cell.trainer.tokens_seen for cell in run.runs)


def headless(seconds: float) -> float:
    config = TrainSettings(**SETTINGS).lab_config()
    run = LanguageModelLab(CorpusData.from_corpus(load_corpus("python-docs")), config)
    run.advance(1.0)  # warm-up
    start_tokens, started = tokens(run), time.perf_counter()
    while time.perf_counter() - started < seconds:
        run.advance(0.3)
    return (tokens(run) - start_tokens) / (time.perf_counter() - started)


def through_page(seconds: float, tick: float = 0.5) -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in URL.items():
        at.query_params[key] = str(value)
    at.run()
    at.switch_page("pages/1_Train.py").run()
    at.toggle(key="train.baselines").set_value(False).run()
    at.button(key="train.start").click().run()
    for _ in range(3):  # warm-up ticks
        at.run()
    run = at.session_state["train.run"].job
    start_tokens, started = tokens(run), time.perf_counter()
    next_tick = started
    while time.perf_counter() - started < seconds:
        at.run()
        next_tick += tick
        time.sleep(max(0.0, next_tick - time.perf_counter()))
    result = (tokens(run) - start_tokens) / (time.perf_counter() - started)
    at.session_state["train.run"].worker.stop()
    return result


def in_browser(seconds: float) -> float:
    import re

    from playwright.sync_api import sync_playwright

    from rnnviz.testing.app_server import app_server
    from rnnviz.testing.chromium import CHROMIUM, CHROMIUM_ARGS

    query = "&".join(f"{k}={v}" for k, v in URL.items())
    with app_server(ROOT / "test-artifacts" / "bench-server.log") as server, sync_playwright() as p:
        url = server.url
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1700})
        page.set_default_timeout(120_000)
        page.goto(f"{url}/Train?{query}")
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        page.get_by_test_id("stButton").filter(has_text=re.compile("^Start$")).click()
        page.wait_for_selector(".js-plotly-plot")

        def steps() -> int:
            text = page.get_by_test_id("stProgress").first.inner_text()
            return int(re.search(r"([\d,]+) / ", text).group(1).replace(",", ""))

        time.sleep(3)
        s0, t0 = steps(), time.perf_counter()
        time.sleep(seconds)
        s1, t1 = steps(), time.perf_counter()
        browser.close()
    per_step = SETTINGS["batch_size"] * SETTINGS["seq_len"] * 3  # three cells
    return (s1 - s0) * per_step / (t1 - t0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--mode", choices=("both", "headless", "page", "browser"), default="both")
    parser.add_argument("--browser", action="store_true", help="also measure through Chromium")
    args = parser.parse_args()
    import torch

    from rnnviz.limits import LIMITS

    torch.set_num_threads(LIMITS.torch_threads)
    if args.mode != "both":
        value = {"headless": headless, "page": through_page, "browser": in_browser}[args.mode](args.seconds)
        print(value)
        return 0
    import subprocess

    def measure(mode: str) -> float:
        out = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--seconds", str(args.seconds)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return float(out.strip().splitlines()[-1])

    alone = measure("headless")
    page = measure("page")
    print(f"headless (LanguageModelLab.advance): {alone:,.0f} tokens/s, three cells together")
    print(f"through the Train page:        {page:,.0f} tokens/s")
    print(f"page / headless = {page / alone:.3f} (overhead {100 * (1 - page / alone):.1f}%)")
    if args.browser:
        seen = measure("browser")
        print(f"in Chromium:                   {seen:,.0f} tokens/s")
        print(f"browser / headless = {seen / alone:.3f} (overhead {100 * (1 - seen / alone):.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

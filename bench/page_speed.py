"""Inspect page render time and generation speed on this machine's CPU.

    python bench/page_speed.py

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


def main() -> int:
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

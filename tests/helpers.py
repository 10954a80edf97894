"""Shared test data and helpers (a module with a unique name: two conftest.py files cannot both be imported as
``conftest``)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.i18n import DEFAULT, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]

ARTIFACTS = ROOT / "test-artifacts"
SHARED_SHAKESPEARE = ROOT.parent / "shared" / "data" / "tinyshakespeare.txt"

# Every language but English, for tests parametrized over the translations: a new language is one catalogue file and
# one LANGUAGES entry, and these tests cover it at once.
OTHER_LANGUAGES = [language for language in LANGUAGES if language != DEFAULT]
# A language written in a script of its own: a translated text shows that script (Chinese: CJK ideographs).
SCRIPTS = {"zh": re.compile("[\u4e00-\u9fff]")}


def reads_translated(language: str, english: str, text: str) -> bool:
    """Whether ``text`` reads as ``english`` put into ``language``: it is not the English itself and, in a language
    with a script of its own, it uses that script (a Chinese text with no Chinese in it is an English slip)."""
    script = SCRIPTS.get(language)
    return text != english and (script is None or bool(script.search(text)))


TINY_TEXT = (
    'She said "hello (there)" and left.\n'
    "    def f(x):\n        return [x, (x + 1)]\n"
    'He wrote "a quote" in the book {of [nested] things}.\n'
) * 40


def tiny_model(vocab_size: int, cell: str = "lstm", hidden: int = 16, layers: int = 1, **kwargs):
    config = ModelConfig(
        vocab_size=vocab_size, cell=cell, hidden_size=hidden, num_layers=layers, embed_size=8, **kwargs
    )
    return build_model(config, seed=0)


TINY = {
    "steps": 4,
    "eval_every": 2,
    "hidden_size": 8,
    "eval_examples": 8,
    "seq_len": 24,
    "eval_sentences": 20,
    "every": 40,
}


def tiny(lesson):
    """The same lesson with every experiment shrunk to seconds (for tests)."""
    steps = tuple(
        dataclasses.replace(step, params={**step.params, **{k: v for k, v in TINY.items() if k in step.params}})
        for step in lesson.steps
    )
    return dataclasses.replace(lesson, steps=steps)


# Hand-written People's Daily lines for the tagger: word/pos pairs, as the corpus writes them.
TAGGED_LINES = [
    "国家/n  主席/n  江/nr  泽民/nr  在/p  北京/ns  会见/v  了/u  新华社/nt  记者/n  。/w",
    "李/nr  鹏/nr  到/v  上海/ns  视察/v  ，/w  他/r  说/v  ：/w  好/a  ！/w",
    "王/nr  小明/nr  在/p  广州/ns  工作/v  。/w  张/nr  华/nr  去/v  了/u  南京/ns  。/w",
]


def tiny_tagging_data(copies: int = 30):
    """A small tagging corpus made from templates (names, places, organisations), for fast lab tests."""
    from rnnviz.tagging.corpus import paragraph_sentences, parse_line
    from rnnviz.tagging.data import build_data

    surnames, given, places, orgs = "王李张刘陈", ["明", "小红", "国华", "伟"], ["北京", "上海", "广州"], ["新华社"]
    lines = []
    for i in range(copies):
        s, g, p, o = surnames[i % 5], given[i % 4], places[i % 3], orgs[0]
        lines.append(f"{s}/nr  {g}/nr  在/p  {p}/ns  会见/v  {o}/nt  记者/n  。/w")
        lines.append(f"{o}/nt  报道/v  ，/w  {p}/ns  的/u  {s}/nr  {g}/nr  来/v  了/u  。/w")
    sentences = [s for line in lines for s in paragraph_sentences(parse_line(line))]
    return build_data({"train": sentences, "validation": sentences[:12], "test": sentences[12:24]})


def tiny_sentiment_data(copies: int = 6):
    """Labelled sentences made from templates, negations included, for fast classifier tests."""
    from rnnviz.classify.data import from_rows

    good, bad = ["good", "great", "wonderful", "fine"], ["bad", "awful", "dull", "poor"]
    texts, labels = [], []
    for i in range(copies):
        for word in good:
            texts += [f"the film is {word} {i}", f"it is not {word} at all {i}"]
            labels += ["positive", "negative"]
        for word in bad:
            texts += [f"the film is {word} {i}", f"it is not {word} at all {i}"]
            labels += ["negative", "positive"]
    return from_rows(texts, labels, "tiny")


# -- colours as a red-green colour-blind student sees them, and their contrast ------------------------------------


def simulated(hex_colour: str, deficiency: str):
    """A colour as a person with full red-green colour blindness sees it (Machado et al. 2009, via colorspacious)."""
    import numpy as np
    from colorspacious import cspace_convert

    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)


def distance(a, b) -> float:
    from colorspacious import deltaE

    return float(deltaE(a, b, input_space="sRGB1", uniform_space="CAM02-UCS"))


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2.1's contrast ratio of a colour against white (relative luminance of sRGB)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)

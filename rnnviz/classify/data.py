"""Labelled sentences: the shipped sentiment sets, or a user's CSV/TSV table, and the fixed 80/10/10 split.

The shipped sets (``data/``, see its README) are human-rated sentences from Hutto & Gilbert (2014), kept where the
raters agreed on a side. A user's table needs a text column and a label column (any number of classes); every way
it can be wrong gets a message that says what to fix.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from importlib import resources

from rnnviz.charlm.corpora import CorpusError, decode_user_text
from rnnviz.i18n import Message

SENTIMENT_SETS = {  # name -> its file in data/ (what each is: the catalogues' classify.describe, data/README.md)
    "movie-sentences": "movie_sentences.tsv",
    "amazon-sentences": "amazon_sentences.tsv",
    "tweets": "tweets.tsv",
}
MAX_ROWS = 50_000
TEXT_GUESSES = ("text", "sentence", "review", "content")
LABEL_GUESSES = ("label", "sentiment", "class", "category")
SPLIT_SEED = 0


class TableError(ValueError):
    """A table that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class LabelledTexts:
    texts: tuple[str, ...]
    labels: tuple[int, ...]  # indices into label_names
    label_names: tuple[str, ...]
    name: str = ""

    def subset(self, indices: list[int]) -> LabelledTexts:
        return LabelledTexts(
            tuple(self.texts[i] for i in indices), tuple(self.labels[i] for i in indices), self.label_names, self.name
        )

    def __len__(self) -> int:
        return len(self.texts)


@dataclass(frozen=True)
class Split:
    train: LabelledTexts
    validation: LabelledTexts
    test: LabelledTexts


def split(data: LabelledTexts, seed: int = SPLIT_SEED) -> Split:
    """80% train, 10% validation, 10% test, by one seeded shuffle: the same split every time."""
    order = list(range(len(data)))
    random.Random(seed).shuffle(order)
    a, b = int(0.8 * len(order)), int(0.9 * len(order))
    return Split(data.subset(sorted(order[:a])), data.subset(sorted(order[a:b])), data.subset(sorted(order[b:])))


def from_rows(texts: list[str], labels: list[str], name: str) -> LabelledTexts:
    """Labels as given (sorted names; for the sentiment sets that is negative, positive)."""
    names = tuple(sorted(set(labels)))
    index = {label: i for i, label in enumerate(names)}
    return LabelledTexts(tuple(texts), tuple(index[label] for label in labels), names, name)


def load_sentiment_set(name: str = "movie-sentences") -> LabelledTexts:
    if name not in SENTIMENT_SETS:
        raise TableError(Message("errors.table.unknown_set", name=repr(name), shipped=", ".join(SENTIMENT_SETS)))
    raw = resources.files("rnnviz.classify").joinpath("data", SENTIMENT_SETS[name]).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter="\t", quoting=csv.QUOTE_NONE))
    return from_rows([row["text"] for row in rows], [row["label"] for row in rows], name)


def _decode(data: bytes) -> str:
    try:
        return decode_user_text(data)
    except CorpusError as exc:
        message = exc.args[0]
        for_tables = {"errors.corpus.binary": "errors.table.binary", "errors.corpus.empty": "errors.table.empty"}
        key = for_tables.get(getattr(message, "key", ""))
        raise TableError(Message(key) if key else message) from None


def _rows(data: bytes, filename: str) -> list[list[str]]:
    decoded = _decode(data)
    first_line = decoded.split("\n", 1)[0]
    delimiter = "\t" if filename.lower().endswith(".tsv") or "\t" in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(decoded), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError(
            Message("errors.table.unreadable", kind="TSV" if delimiter == chr(9) else "CSV", error=exc)
        ) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise TableError(Message("errors.table.no_rows"))
    return rows


def table_header(data: bytes, filename: str = "") -> list[str]:
    """The column names of a user's table, or a TableError saying why it cannot be read at all."""
    return [cell.strip() for cell in _rows(data, filename)[0]]


def read_table(
    data: bytes, filename: str = "", text_column: str | None = None, label_column: str | None = None
) -> LabelledTexts:
    """A user's CSV or TSV (tab-separated when the name ends in .tsv or the first line has a tab): a text column and
    a label column, named or guessed ("text"/"sentence"/"review" and "label"/"sentiment"/"class")."""
    rows = _rows(data, filename)
    header = [cell.strip() for cell in rows[0]]
    text_at = _column(header, text_column, TEXT_GUESSES, "text")
    label_at = _column(header, label_column, LABEL_GUESSES, "label")
    if text_at == label_at:
        raise TableError(Message("errors.table.same_column"))
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise TableError(Message("errors.table.too_many", n=len(body), cap=MAX_ROWS))
    short = [n for n, row in enumerate(body, 2) if len(row) <= max(text_at, label_at)]
    if short:
        raise TableError(Message("errors.table.short_row", row=short[0], n=len(short)))
    kept = [(row[text_at].strip(), row[label_at].strip()) for row in body]
    kept = [(text, label) for text, label in kept if text and label]
    if not kept:
        raise TableError(Message("errors.table.empty_rows"))
    classes = {label for _, label in kept}
    if len(classes) < 2:
        raise TableError(Message("errors.table.one_class", label=repr(kept[0][1])))
    if len(classes) > 50:
        raise TableError(Message("errors.table.many_classes"))
    if len(kept) < 10:
        raise TableError(Message("errors.table.few_rows", n=len(kept)))
    return from_rows([t for t, _ in kept], [lab for _, lab in kept], filename or "upload")


def guess_column(header: list[str], role: str) -> int:
    """The index of the column a table most likely means as its text (or label), else 0 (or 1)."""
    lowered = [cell.lower() for cell in header]
    guesses = TEXT_GUESSES if role == "text" else LABEL_GUESSES
    fallback = 0 if role == "text" else min(1, len(header) - 1)
    return next((lowered.index(g) for g in guesses if g in lowered), fallback)


def _column(header: list[str], asked: str | None, guesses: tuple[str, ...], role: str) -> int:
    lowered = [cell.lower() for cell in header]
    if asked:
        if asked.lower() not in lowered:
            raise TableError(Message("errors.table.no_column", name=repr(asked), header=", ".join(header)))
        return lowered.index(asked.lower())
    for guess in guesses:
        if guess in lowered:
            return lowered.index(guess)
    names = " or ".join(repr(g) for g in guesses[:3])
    raise TableError(Message(f"errors.table.no_{role}_column", names=names, header=", ".join(header)))

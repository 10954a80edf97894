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

SENTIMENT_SETS = {  # name -> (file in data/, what it is)
    "movie-sentences": ("movie_sentences.tsv", "10,072 movie-review sentences (Pang & Lee), rated by 20+ people"),
    "amazon-sentences": ("amazon_sentences.tsv", "2,985 Amazon product-review sentences, rated by 20+ people"),
    "tweets": ("tweets.tsv", "3,432 tweets, rated by 20+ people"),
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
        return LabelledTexts(tuple(self.texts[i] for i in indices), tuple(self.labels[i] for i in indices),
                             self.label_names, self.name)  # fmt: skip

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
        raise TableError(f"Unknown data set {name!r}; shipped: {', '.join(SENTIMENT_SETS)}")
    raw = resources.files("rnnviz.classify").joinpath("data", SENTIMENT_SETS[name][0]).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter="\t", quoting=csv.QUOTE_NONE))
    return from_rows([row["text"] for row in rows], [row["label"] for row in rows], name)


def _decode(data: bytes) -> str:
    try:
        return decode_user_text(data)
    except CorpusError as exc:
        raise TableError(str(exc).replace("Upload a plain UTF-8 .txt file.", "Upload a UTF-8 .csv or .tsv file.")
                         .replace("to train on", "with a text and a label column")) from None  # fmt: skip


def _rows(data: bytes, filename: str) -> list[list[str]]:
    decoded = _decode(data)
    first_line = decoded.split("\n", 1)[0]
    delimiter = "\t" if filename.lower().endswith(".tsv") or "\t" in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(decoded), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError(f"The table cannot be read as {'TSV' if delimiter == chr(9) else 'CSV'}: {exc}.") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise TableError("The table needs a header row and at least one row of data.")
    return rows


def table_header(data: bytes, filename: str = "") -> list[str]:
    """The column names of a user's table, or a TableError saying why it cannot be read at all."""
    return [cell.strip() for cell in _rows(data, filename)[0]]


def read_table(data: bytes, filename: str = "", text_column: str | None = None,
               label_column: str | None = None) -> LabelledTexts:  # fmt: skip
    """A user's CSV or TSV (tab-separated when the name ends in .tsv or the first line has a tab): a text column and
    a label column, named or guessed ("text"/"sentence"/"review" and "label"/"sentiment"/"class")."""
    rows = _rows(data, filename)
    header = [cell.strip() for cell in rows[0]]
    text_at = _column(header, text_column, TEXT_GUESSES, "text")
    label_at = _column(header, label_column, LABEL_GUESSES, "label")
    if text_at == label_at:
        raise TableError("The text and the label must be two different columns.")
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise TableError(f"The table has {len(body):,} rows; this server takes at most {MAX_ROWS:,}. Upload a "
                         "sample.")  # fmt: skip
    short = [n for n, row in enumerate(body, 2) if len(row) <= max(text_at, label_at)]
    if short:
        raise TableError(f"Row {short[0]} has fewer columns than the header ({len(short)} such rows).")
    kept = [(row[text_at].strip(), row[label_at].strip()) for row in body]
    kept = [(text, label) for text, label in kept if text and label]
    if not kept:
        raise TableError("Every row has an empty text or label.")
    classes = {label for _, label in kept}
    if len(classes) < 2:
        raise TableError(f"Every row has the label {kept[0][1]!r}: a classifier needs at least two classes.")
    if len(classes) > 50:
        raise TableError("The label column has more than 50 different values; is it really the label?")
    if len(kept) < 10:
        raise TableError(f"Only {len(kept)} labelled rows: the 80/10/10 split needs at least 10.")
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
            raise TableError(f"No column named {asked!r}; the header has {', '.join(header)}.")
        return lowered.index(asked.lower())
    for guess in guesses:
        if guess in lowered:
            return lowered.index(guess)
    raise TableError(f"No {role} column: name one {' or '.join(repr(g) for g in guesses[:3])}, or pick it; the header "
                     f"has {', '.join(header)}.")  # fmt: skip

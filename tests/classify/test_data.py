"""The shipped sentiment sets, the fixed split, and every way a user's table can be wrong."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from rnnviz.classify.data import TableError, guess_column, load_sentiment_set, read_table, split, table_header


def test_the_movie_sentences_are_the_documented_extract():
    data = load_sentiment_set("movie-sentences")
    assert len(data) == 10_072 and data.label_names == ("negative", "positive")
    assert abs(sum(data.labels) / len(data) - 0.496) < 0.001  # 49.6% positive
    folder = resources.files("rnnviz.classify").joinpath("data")
    for line in folder.joinpath("SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256(folder.joinpath(name).read_bytes()).hexdigest() == digest, name
    assert len(load_sentiment_set("amazon-sentences")) == 2985 and len(load_sentiment_set("tweets")) == 3432


def test_the_split_is_80_10_10_and_the_same_every_time():
    data = load_sentiment_set()
    first, second = split(data), split(data)
    assert (len(first.train), len(first.validation), len(first.test)) == (8057, 1007, 1008)
    assert first.test.texts == second.test.texts
    assert not set(first.train.texts[:500]) & set(first.test.texts)


def test_a_good_table_with_three_classes():
    rows = "review\tstars\n" + "".join(f"text {i}\t{'abc'[i % 3]}\n" for i in range(30))
    table = read_table(rows.encode(), "mine.tsv", label_column="stars")
    assert table.label_names == ("a", "b", "c") and len(table) == 30
    assert table_header(rows.encode(), "mine.tsv") == ["review", "stars"]
    assert guess_column(["id", "sentence", "sentiment"], "text") == 1
    assert guess_column(["id", "sentence", "sentiment"], "label") == 2


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("text,label\ncaf\xe9,pos\n".encode("latin-1"), "not UTF-8"),
        (b"text,label\n", "header row and at least one row"),
        (b"words,stars\ngood,1\nbad,0\n", "No text column"),
        (b"text,label\n" + b"fine film,pos\n" * 20, "at least two classes"),
        (b"text,label\na,pos\nb\n", "fewer columns"),
        (b"text,label\ngood,pos\nbad,neg\n", "at least 10"),
    ],
)
def test_bad_tables_are_refused_with_a_message(data, message):
    with pytest.raises(TableError, match=message):
        read_table(data, "upload.csv")


def test_too_many_rows_is_refused(monkeypatch):
    from rnnviz.classify import data as module

    monkeypatch.setattr(module, "MAX_ROWS", 5)
    rows = b"text,label\n" + b"".join(b"t%d,%d\n" % (i, i % 2) for i in range(6))
    with pytest.raises(TableError, match="at most 5"):
        read_table(rows, "big.csv")

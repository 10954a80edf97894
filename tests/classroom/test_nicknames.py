"""Nicknames are cleaned once and kept as plain text."""

from __future__ import annotations

import pytest

from rnnviz.classroom.nicknames import clean_nickname


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (None, None),
        ("", None),
        ("   \n\t ", None),
        ("\x00\x07", None),
        ("  Ada  Lovelace ", "Ada Lovelace"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # kept as characters; never run
        ("**bold** _x_ [a](http://e)", "**bold** _x_ [a](http://e)"),  # not markdown either
        ("a\nb\r\nc", "a b c"),
        ("\x1b[31mred\x00", "[31mred"),
        ("abc\u202edcba", "abcdcba"),  # a right-to-left override would flip what follows it
        ("👩\u200d🔬 Marie", "👩\u200d🔬 Marie"),  # the joiner of an emoji stays
        ("e\u0301", "é"),  # one form (NFC)
        ("李雷", "李雷"),
    ],
)
def test_nicknames_are_cleaned_to_plain_text(typed, kept):
    assert clean_nickname(typed, max_length=40) == kept


def test_a_long_nickname_is_capped():
    assert clean_nickname("x" * 10_000, max_length=40) == "x" * 40
    assert clean_nickname("ab " * 5000, max_length=40) == ("ab " * 14)[:40].strip()


def test_a_nickname_is_text():
    with pytest.raises(TypeError):
        clean_nickname(12, max_length=40)

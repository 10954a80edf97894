"""The shared tokenizer: words and characters, the cap, <unk> and <pad>, truncation."""

from __future__ import annotations

import pytest

from rnnviz.tokens import PAD, UNK, Tokenizer, TokenizerConfig


def test_words_keep_contractions_and_split_punctuation():
    tokenizer = Tokenizer.fit(["It isn't good, NOT at all!"])
    assert tokenizer.split("It isn't good, NOT at all!") == ["it", "isn't", "good", ",", "not", "at", "all", "!"]
    assert Tokenizer.fit(["ab"], TokenizerConfig(kind="chars")).split("Ab c") == ["a", "b", " ", "c"]


def test_the_vocabulary_keeps_the_most_frequent_and_reads_the_rest_as_unk():
    tokenizer = Tokenizer.fit(["good good good bad bad odd"], TokenizerConfig(num_words=4))
    assert tokenizer.itos == ["<pad>", "<unk>", "good", "bad"]
    assert tokenizer.encode("good odd unseen") == [2, UNK, UNK]
    assert tokenizer.unknown("good odd unseen odd") == ["odd", "unseen"]
    assert Tokenizer.fit(["a a b"], TokenizerConfig(min_count=2)).itos == ["<pad>", "<unk>", "a"]


def test_batches_pad_truncate_and_never_leave_a_sentence_empty():
    tokenizer = Tokenizer.fit(["one two three four"])
    ids, lengths = tokenizer.batch(["one two three four", "two", ""], max_len=3)
    assert lengths.tolist() == [3, 1, 1]
    assert ids.tolist() == [[2, 3, 4], [3, PAD, PAD], [UNK, PAD, PAD]]


def test_round_trip_and_bad_settings():
    tokenizer = Tokenizer.fit(["a b c"], TokenizerConfig(num_words=50, min_count=1))
    again = Tokenizer.from_dict(tokenizer.to_dict())
    assert again.itos == tokenizer.itos and again.config == tokenizer.config
    with pytest.raises(ValueError):
        TokenizerConfig(kind="bytes")
    with pytest.raises(ValueError):
        TokenizerConfig(num_words=2)


def test_line_breaks_are_tokens_for_the_language_models_and_spacing_reads_back():
    config = TokenizerConfig(newlines=True)
    tokenizer = Tokenizer.fit(["ROMEO:\nBut, soft! (what light)"], config)
    tokens = tokenizer.split("ROMEO:\nBut, soft! (what light)")
    assert tokens == ["romeo", ":", "\n", "but", ",", "soft", "!", "(", "what", "light", ")"]
    assert "".join(tokenizer.spaced(tokens)) == "romeo:\nbut, soft! (what light)"
    assert "\n" not in Tokenizer.fit(["a\nb"]).split("a\nb")  # the classifiers' sentences stay as they were
    chars = Tokenizer.fit(["ab"], TokenizerConfig(kind="chars"))
    assert chars.spaced(["a", " ", "b"]) == ["a", " ", "b"]


def test_chinese_is_one_token_per_ideograph_and_reads_back_without_spaces():
    tokenizer = Tokenizer.fit(["明月几时有？把酒问青天。"], TokenizerConfig(newlines=True))
    tokens = tokenizer.split("明月几时有？把酒问青天。\nIt isn't 好")
    assert tokens[:6] == ["明", "月", "几", "时", "有", "？"] and tokens[-3:] == ["it", "isn't", "好"]
    assert "".join(tokenizer.spaced(tokens)) == "明月几时有？把酒问青天。\nit isn't好"

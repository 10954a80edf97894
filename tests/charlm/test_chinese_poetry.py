"""The Chinese poetry corpora: shipped with their checksums, read offline; a capped character vocabulary with <unk>."""

from __future__ import annotations

import bz2
import hashlib
import math

import pytest

from rnnviz.charlm import corpora
from rnnviz.charlm.baselines import compute_baselines
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import Corpus, CorpusError, load_corpus
from rnnviz.charlm.vocab import MAX_CHAR_VOCAB, UNK_CHAR, CharVocab
from rnnviz.introspect import trace_text


def test_song_ci_and_tang_poems_are_offline_simplified_and_match_their_sums():
    song = load_corpus("song-ci")
    assert len(song) == 1_862_225 and song.text.startswith("导引\n气和玉烛，睿化著鸿明。")
    tang = load_corpus("tang-poems")
    assert len(tang) == 26_591 and "前不见古人，后不见来者。" in tang.text
    assert "鬢" not in tang.text and "鬓" in tang.text  # converted from traditional characters
    assert "□" not in song.text  # poems with a missing character are left out


def test_a_damaged_corpus_file_is_refused(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tang_300.txt.bz2").write_bytes(bz2.compress("床前明月光".encode()))
    digest = hashlib.sha256(b"something else").hexdigest()
    (tmp_path / "data" / "SHA256SUMS").write_text(f"{digest}  tang_300.txt\n")
    monkeypatch.setattr("importlib.resources.files", lambda package: tmp_path)
    with pytest.raises(CorpusError, match="sha256"):
        corpora.poetry_text("tang-poems")


def test_the_character_vocabulary_is_capped_with_unk_and_the_baselines_count_the_same_way():
    text = "".join(chr(0x4E00 + i) * (1 + i % 7) for i in range(60)) * 3
    vocab = CharVocab.from_text(text, max_size=20)
    assert vocab.size == 20 and UNK_CHAR in vocab.chars and vocab.reads_unknown_as_unk
    rare = next(ch for ch in text if ch not in vocab.chars)
    assert vocab.decode(vocab.encode(rare + "人")) == UNK_CHAR * 2  # unseen and rare read alike, never skipped
    assert not CharVocab.from_text("hello").reads_unknown_as_unk
    data = CorpusData.from_corpus(Corpus("hanzi", text), CharVocab.from_text(text, max_size=20))
    train, val = data.baseline_sequences()
    assert set(val) <= set(vocab.chars)  # the baselines read the very <unk> the models read
    assert compute_baselines(train, val, vocab.size).uniform == pytest.approx(math.log(20))


def test_song_ci_is_capped_at_four_thousand_characters():
    data = CorpusData.from_corpus(load_corpus("song-ci"))
    assert data.vocab.size == MAX_CHAR_VOCAB
    unk = data.vocab.chars.index(UNK_CHAR)
    assert float((data.train_ids == unk).float().mean()) < 0.003  # the 3,999 most frequent cover 99.7%


def test_a_chinese_trace_reads_rare_characters_as_unk():
    import torch

    from rnnviz.charlm.model import CharRNN, ModelConfig

    vocab = CharVocab.from_text("春眠不觉晓，处处闻啼鸟。" * 3 + "夜来风雨声", max_size=12)
    torch.manual_seed(0)
    model = CharRNN(ModelConfig(vocab_size=vocab.size, hidden_size=8, embed_size=4))
    trace = trace_text(model, vocab, "春眠花落知多少")
    assert trace.exact and len(trace.tokens) == 7 and UNK_CHAR in trace.tokens
    assert set(trace.skipped) == {ch for ch in "春眠花落知多少" if ch not in vocab.chars}


def test_generation_never_writes_the_unk_character():
    import torch

    from rnnviz.charlm.generation import SamplingConfig, stream_generate
    from rnnviz.charlm.model import CharRNN, ModelConfig

    vocab = CharVocab.from_text("春眠不觉晓，处处闻啼鸟。" * 3 + "夜来风雨声", max_size=8)
    torch.manual_seed(0)
    model = CharRNN(ModelConfig(vocab_size=vocab.size, hidden_size=8, embed_size=4))
    with torch.no_grad():
        model.head.bias[vocab.chars.index(UNK_CHAR)] = 5.0  # the model all but insists on <unk>
    pieces = list(stream_generate(model, vocab, "春", SamplingConfig(length=40, seed=0)))
    assert UNK_CHAR not in "".join(p.char for p in pieces)
    assert any(alt == UNK_CHAR for p in pieces for alt, _ in p.alternatives)  # its probability is still shown

"""Word tokens for the language models: the vocabulary, batches, baselines, checkpoints, generation and traces."""

from __future__ import annotations

import json
import math

import pytest
import torch

from rnnviz.charlm.baselines import compute_baselines
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.checkpoint import Checkpoint, CheckpointError, checkpoint_bytes, load_checkpoint
from rnnviz.charlm.corpora import Corpus
from rnnviz.charlm.generation import SamplingConfig, stream_generate
from rnnviz.charlm.model import CharRNN, ModelConfig
from rnnviz.charlm.vocab import MAX_WORD_VOCAB, CharVocab, VocabError, WordVocab, build_vocab, vocab_from_json
from rnnviz.introspect import trace_text
from rnnviz.introspect.neurons import at_token_ends, find_neurons
from rnnviz.tokens import UNK

TEXT = "The cat sat on the mat.\nThe dog sat on the log.\n" * 20


def word_model(vocab, cell="lstm", seed=0) -> CharRNN:
    torch.manual_seed(seed)
    return CharRNN(ModelConfig(vocab_size=vocab.size, cell=cell, hidden_size=12, embed_size=6, num_layers=2))


def test_word_vocabulary_encodes_words_and_reads_unseen_ones_as_unk():
    vocab = WordVocab.from_text(TEXT)
    assert vocab.kind == "words" and vocab.unit == "token"
    ids = vocab.encode("The zebra sat.\n")
    assert vocab.pieces(ids) == ["the", " <unk>", " sat", ".", "\n"]
    assert vocab.decode(ids) == "the <unk> sat.\n"
    assert vocab.unknown("The zebra and the yak") == ["zebra", "and", "yak"]
    assert vocab.token(vocab.start_id) == "\n"
    assert vocab.piece_after(None, int(ids[2])) == "sat" and vocab.piece_after(int(ids[2]), int(ids[3])) == "."


def test_the_vocabulary_is_capped_at_ten_thousand_tokens():
    text = " ".join(f"w{i}" for i in range(MAX_WORD_VOCAB + 500)) + " common" * 3
    vocab = build_vocab(text, "words")
    assert vocab.size == MAX_WORD_VOCAB and vocab.token(2) == "common"
    assert int(vocab.encode(f"w{MAX_WORD_VOCAB + 400}")[0]) == UNK
    with pytest.raises(VocabError):
        build_vocab(text, "bytes")


def test_corpus_data_on_words_splits_token_ids_and_the_baselines_count_the_same_tokens():
    data = CorpusData.from_corpus(Corpus("cats", TEXT), tokens="words")
    assert data.tokens == "words" and len(data.train_ids) + len(data.val_ids) == len(data.vocab.encode(TEXT))
    train, val = data.baseline_sequences()
    assert isinstance(train, tuple) and list(train) == data.train_ids.tolist()
    baselines = compute_baselines(train, val, data.vocab.size)
    assert baselines.uniform == pytest.approx(math.log(data.vocab.size))
    assert baselines.best_ngram < baselines.bigram < baselines.unigram < baselines.uniform  # a repetitive text


def test_baselines_on_ids_equal_the_baselines_on_the_characters_they_stand_for():
    text = "abracadabra, a cadaver's candelabra. " * 30
    split = int(len(text) * 0.9)
    as_chars = compute_baselines(text[:split], text[split:], 12)
    as_ids = compute_baselines(tuple(map(ord, text[:split])), tuple(map(ord, text[split:])), 12)
    assert as_ids == as_chars


def test_word_checkpoints_round_trip_and_a_damaged_vocabulary_is_refused():
    vocab = WordVocab.from_text(TEXT)
    model = word_model(vocab)
    data = checkpoint_bytes(Checkpoint(model, vocab, card={"corpus": "cats"}))
    loaded = load_checkpoint(data)
    assert isinstance(loaded.vocab, WordVocab) and loaded.vocab.tokenizer.itos == vocab.tokenizer.itos
    ids = vocab.encode("the cat sat")
    assert torch.equal(loaded.model(ids[None])[0], model.eval()(ids[None])[0])
    assert isinstance(vocab_from_json(json.dumps("abc")), CharVocab)
    for bad in ('{"tokens": [1, 2], "config": {}}', "[1, 2]", '{"tokens": ["a"], "config": {"kind": "bytes"}}'):
        with pytest.raises((ValueError, TypeError)):
            vocab_from_json(bad)
    damaged = data.replace(b'\\"tokens\\": [', b'\\"tokenz\\": [', 1)
    with pytest.raises(CheckpointError, match="damaged"):
        load_checkpoint(damaged)


def test_generation_streams_spaced_words_with_the_top_five_next_words():
    vocab = WordVocab.from_text(TEXT)
    pieces = list(stream_generate(word_model(vocab), vocab, "The cat", SamplingConfig(length=30, seed=1)))
    assert len(pieces) == 30
    assert all(
        len(p.alternatives) == 5 and all(token in vocab.tokenizer.stoi for token, _ in p.alternatives) for p in pieces
    )
    joined = "".join(p.char for p in pieces)
    words = [p.char.strip() for p in pieces]
    assert all(w in vocab.tokenizer.stoi for w in words if w)  # every piece is one vocabulary token
    assert joined.startswith(" ") or pieces[0].char.strip() in ".,:;!?\n"  # spaced after the prompt's "cat"
    empty = list(stream_generate(word_model(vocab), vocab, "", SamplingConfig(length=3, seed=1)))
    assert not empty[0].char.startswith(" ")  # nothing before it: no space


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_a_word_trace_is_exact_and_has_one_step_per_token(cell):
    vocab = WordVocab.from_text(TEXT)
    trace = trace_text(word_model(vocab, cell), vocab, "The yak sat on the mat.\n")
    assert trace.exact and trace.tokens == ["the", " <unk>", " sat", " on", " the", " mat", ".", "\n"]
    assert trace.text == "the <unk> sat on the mat.\n" and trace.skipped == ["yak"]
    assert trace.layers[0].h.shape[0] == len(trace.tokens) == len(trace.loss_per_char) + 1
    assert all(len(matches) <= 3 for matches in find_neurons(trace, regex="sat").values())


def test_character_features_are_read_at_each_tokens_last_character():
    assert at_token_ends([0, 1, 2, 3, 4, 5], ["ab", " c", "d", "e"]) == [1, 3, 4, 5]
    assert at_token_ends([7, 8], ["a", "b"]) == [7, 8]

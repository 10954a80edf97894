import pytest
import torch

from rnnviz.charlm.batches import BatchSource
from rnnviz.charlm.model import ConfigError
from rnnviz.charlm.vocab import CharVocab, VocabError, split_train_val


def test_vocab_round_trip_and_unknowns():
    vocab = CharVocab.from_text("hello world")
    assert vocab.chars == " dehlorw"
    assert vocab.decode(vocab.encode("hold")) == "hold"
    assert vocab.unknown_chars("hexz!x") == ["x", "z", "!"]
    with pytest.raises(VocabError, match="'x'"):
        vocab.encode("hex")
    assert vocab.decode(vocab.encode("hex", unknown="skip")) == "he"


def test_split_is_last_ten_percent():
    ids = torch.arange(100)
    train, val = split_train_val(ids)
    assert train.tolist() == list(range(90)) and val.tolist() == list(range(90, 100))


def test_random_batches_are_shifted_and_seeded():
    ids = torch.arange(1000)
    a = BatchSource(ids, batch_size=4, seq_len=10, seed=3)
    b = BatchSource(ids, batch_size=4, seq_len=10, seed=3)
    x, y = a.next_batch()
    x2, _ = b.next_batch()
    assert x.shape == (4, 10) and torch.equal(y, x + 1) and torch.equal(x, x2)


def test_stateful_batches_continue_each_stream():
    ids = torch.arange(1000)
    source = BatchSource(ids, batch_size=2, seq_len=10, mode="stateful")
    x1, _ = source.next_batch()
    x2, _ = source.next_batch()
    assert torch.equal(x2[:, 0], x1[:, -1] + 1)
    assert x1[1, 0] == 500  # the second stream starts half-way


def test_sequence_longer_than_text_is_a_clear_error():
    with pytest.raises(ConfigError, match="shorter than one sequence"):
        BatchSource(torch.arange(50), batch_size=2, seq_len=100)

"""The classifier for every cell, direction and pooling; padding; attributions; the probe; checkpoints."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from helpers import tiny_sentiment_data

from rnnviz.charlm.checkpoint import CheckpointError
from rnnviz.charlm.model import ConfigError
from rnnviz.classify.baselines import BagOfWords, majority_accuracy
from rnnviz.classify.checkpoint import classifier_bytes, load_classifier
from rnnviz.classify.data import split
from rnnviz.classify.explain import explain_sentence, negation_probe, sentence_map
from rnnviz.classify.model import CLASSIFIER_CELLS, POOLINGS, Classifier, ClassifierConfig
from rnnviz.tokens import Tokenizer, TokenizerConfig

TOKENIZER = Tokenizer.fit(["the film is good not bad at all it wonderful dull"])
LABELS = ("negative", "positive")


def _model(cell="lstm", bidirectional=False, pooling="last", layers=1) -> Classifier:
    torch.manual_seed(0)
    config = ClassifierConfig(
        vocab_size=TOKENIZER.size,
        cell=cell,
        bidirectional=bidirectional,
        pooling=pooling,
        num_layers=layers,
        embed_size=8,
        hidden_size=6,
        dropout=0.0,
    )
    return Classifier(config).eval()


@pytest.mark.parametrize("cell", CLASSIFIER_CELLS)
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("pooling", POOLINGS)
def test_every_variant_gives_each_padded_sentence_its_own_result(cell, bidirectional, pooling):
    model = _model(cell, bidirectional, pooling, layers=2 if cell == "gru" else 1)
    texts = ["the film is good", "not bad", "wonderful film it is not dull at all"]
    ids, lengths = TOKENIZER.batch(texts, 20)
    with torch.no_grad():
        logits = model(ids, lengths)
        assert logits.shape == (3, 2)
        for row, text in enumerate(texts):
            alone_ids, alone_lengths = TOKENIZER.batch([text], 20)
            assert float((model(alone_ids, alone_lengths)[0] - logits[row]).abs().max()) < 1e-6
    model.train()
    torch.nn.functional.cross_entropy(model(ids, lengths), torch.tensor([1, 1, 1])).backward()
    assert model.embedding.weight.grad is not None


def test_attention_weights_sum_to_one_over_real_tokens_only():
    model = _model(pooling="attention")
    ids, lengths = TOKENIZER.batch(["good", "the film is not bad"], 20)
    _, weights = model.sentence_vectors(ids, lengths)
    assert torch.allclose(weights.sum(-1), torch.ones(2)) and float(weights[0, 1:].abs().max()) == 0.0


@pytest.mark.parametrize(
    "cell, bidirectional, pooling",
    [("lstm", False, "last"), ("gru", True, "attention"), ("rnn", False, "mean"), ("lstm", True, "max")],
)
def test_integrated_gradients_are_complete_within_five_percent(cell, bidirectional, pooling):
    result = explain_sentence(_model(cell, bidirectional, pooling), TOKENIZER, "the film is not good at all", LABELS)
    assert result["completeness_gap"] < 0.05
    assert len(result["integrated"]) == len(result["saliency"]) == len(result["tokens"]) == 7
    assert (result["prefix"] is None) == bidirectional
    assert (result["attention"] is None) == (pooling != "attention")
    assert result["predicted"] in LABELS and abs(sum(result["probabilities"]) - 1) < 1e-5


def test_prefix_probabilities_are_what_the_model_says_after_each_word():
    model = _model()
    result = explain_sentence(model, TOKENIZER, "the film is good", LABELS)
    ids, lengths = TOKENIZER.batch(["the film"], 20)
    with torch.no_grad():
        expected = float(model(ids, lengths).softmax(-1)[0, 1])
    assert result["prefix"][1] == pytest.approx(expected, abs=1e-6)
    assert result["prefix"][-1] == pytest.approx(result["probabilities"][1], abs=1e-6)


def test_explain_clamps_and_handles_empty_text():
    model = _model()
    long = explain_sentence(model, TOKENIZER, "good " * 100, LABELS, max_len=60)
    assert long["clamped"] and len(long["tokens"]) == 60
    empty = explain_sentence(model, TOKENIZER, "   ", LABELS)
    assert empty["tokens"] == [] and empty["predicted"] is None


def test_probe_map_and_baselines_on_a_small_split():
    data = tiny_sentiment_data()
    parts = split(data)
    tokenizer = Tokenizer.fit(parts.train.texts)
    ones = sum(parts.train.labels)
    majority = 1 if ones > len(parts.train) - ones else 0  # a tie goes to the first class
    expected = sum(label == majority for label in parts.validation.labels) / len(parts.validation)
    assert majority_accuracy(parts) == expected
    bag = BagOfWords(parts, tokenizer)
    assert 0.0 <= bag.accuracy(parts.test.texts, parts.test.labels) <= 1.0
    model = Classifier(ClassifierConfig(vocab_size=tokenizer.size, embed_size=8, hidden_size=6)).eval()
    probe = negation_probe(model, tokenizer, data.label_names)
    assert probe["target"] == "positive" and len(probe["pairs"]) == 5
    points = sentence_map(model, tokenizer, parts.validation, 20)
    assert len(points["x"]) == len(parts.validation) and sum(points["explained"]) <= 1.0 + 1e-6


def test_a_bag_of_words_is_fitted_once_for_each_training_set_and_way_of_splitting_words():
    parts = split(tiny_sentiment_data())
    tokenizer = Tokenizer.fit(parts.train.texts)
    bag = BagOfWords.fitted(parts, tokenizer)
    assert BagOfWords.fitted(parts, Tokenizer.fit(parts.train.texts)) is bag  # the same texts, labels and splitting
    fresh = BagOfWords(parts, tokenizer)
    texts = parts.validation.texts
    assert (bag.probabilities(texts) == fresh.probabilities(texts)).all()  # what a fit of its own gives
    flipped = dataclasses.replace(parts, train=parts.train.subset(list(range(1, len(parts.train)))))
    assert BagOfWords.fitted(flipped, tokenizer) is not bag  # another training set
    by_chars = Tokenizer.fit(parts.train.texts, TokenizerConfig(kind="chars"))
    assert BagOfWords.fitted(parts, by_chars) is not bag  # another way of splitting words


def test_checkpoint_round_trip_and_refusals():
    model = _model(pooling="attention", bidirectional=True)
    data = classifier_bytes(model, TOKENIZER, LABELS, {"test_accuracy": 0.5})
    loaded, tokenizer, labels, card = load_classifier(data)
    assert labels == LABELS and tokenizer.itos == TOKENIZER.itos and card["test_accuracy"] == 0.5
    ids, lengths = TOKENIZER.batch(["not good"], 20)
    with torch.no_grad():
        assert torch.allclose(loaded(ids, lengths), model(ids, lengths))
    with pytest.raises(CheckpointError):
        load_classifier(b"nothing of the sort")
    with pytest.raises(CheckpointError):
        load_classifier(data[:-8])
    with pytest.raises(ConfigError):
        ClassifierConfig(vocab_size=10, pooling="median")


def test_a_diverged_model_has_no_answer_and_no_map():
    model = _model()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.fill_(float("nan"))
    reading = explain_sentence(model, TOKENIZER, "not good", LABELS)
    assert reading["diverged"] and reading["predicted"] is None and reading["integrated"] == []
    data = tiny_sentiment_data()
    points = sentence_map(model, TOKENIZER, split(data).validation, 20)
    assert points["diverged"] and points["x"] == []

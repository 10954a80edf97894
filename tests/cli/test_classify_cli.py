"""``python -m rnnviz classify`` and ``explain``: accuracy beside both baselines, a checkpoint, a sentence."""

from __future__ import annotations

import json

from rnnviz.cli.main import main


def test_classify_a_users_table_save_and_explain(tmp_path, capsys):
    table = tmp_path / "reviews.csv"
    rows = ["text,label"] + [
        f"{'good' if i % 2 else 'bad'} film number {i},{'pos' if i % 2 else 'neg'}" for i in range(60)
    ]
    table.write_text("\n".join(rows))
    out = tmp_path / "classifier.safetensors"
    args = [
        "classify",
        "--data",
        str(table),
        "--cell",
        "gru",
        "--pooling",
        "attention",
        "--steps",
        "30",
        "--hidden-size",
        "8",
        "--embed-size",
        "8",
        "--keep-best",
        "--out",
        str(out),
        "--json",
    ]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary["test_accuracy"]) == {"majority class", "bag of words", "GRU + attention"}
    assert summary["sizes"] == {"train": 48, "validation": 6, "test": 6}
    assert main(["explain", str(out), "--text", "a good film", "--json"]) == 0
    reading = json.loads(capsys.readouterr().out)
    assert reading["tokens"] == ["a", "good", "film"] and reading["predicted"] in ("neg", "pos")
    assert main(["explain", str(out), "--text", "a good film"]) == 0
    assert "int. grad" in capsys.readouterr().out


def test_classify_defaults_name_the_pages_comparison(capsys):
    assert main(["classify", "--steps", "2", "--hidden-size", "4", "--embed-size", "4", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert {"LSTM", "BiLSTM", "GRU + attention"} <= set(summary["test_accuracy"])
    assert summary["sizes"] == {"train": 8057, "validation": 1007, "test": 1008}


def test_classify_repeats_over_seeds_report_mean_and_range(tmp_path, capsys):
    table = tmp_path / "reviews.csv"
    table.write_text("text,label\n" + "".join(f"{'good' if i % 2 else 'bad'} film {i},{i % 2}\n" for i in range(40)))
    args = [
        "classify",
        "--data",
        str(table),
        "--cell",
        "gru",
        "--steps",
        "4",
        "--hidden-size",
        "4",
        "--embed-size",
        "4",
        "--repeats",
        "3",
        "--json",
    ]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [seed["seed"] for seed in summary["seeds"]] == [0, 1, 2]
    values = [seed["test_accuracy"]["GRU"] for seed in summary["seeds"]]
    assert summary["test_accuracy_over_seeds"]["GRU"]["mean"] == sum(values) / 3


def test_classify_refuses_bad_input(tmp_path, capsys):
    assert main(["classify", "--variants", "lstm+median", "--steps", "2"]) == 2
    assert "Unknown variant" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["classify", "--data", str(empty)]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["classify", "--data", "nowhere.csv"]) == 2
    assert "neither a shipped set" in capsys.readouterr().err
    assert main(["classify", "--repeats", "11"]) == 2
    assert "repeats must be" in capsys.readouterr().err

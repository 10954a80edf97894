"""The scaling benchmark runs at tiny sizes, and its JSON rows carry the fields the README and the chart read."""

import json

import pytest
from helpers import TINY_TEXT

from rnnviz.charlm.model import ConfigError
from rnnviz.charlm.scaling import ScalingConfig, run_scaling
from rnnviz.cli import main

FIELDS = {"cell", "mode", "seq_len", "tokens_per_s", "peak_mb", "ratio_to_gru"}


def test_every_variant_and_position_has_a_row(tiny_data):
    config = ScalingConfig(
        seq_lens=(8, 16), budget_hidden=8, embed_size=4, tokens_per_step=32, steps=1, generation_tokens=1
    )
    rows = run_scaling(tiny_data, config)
    training = [r for r in rows if r["measure"] == "training"]
    modes = {(r["cell"], r["mode"]) for r in training}
    assert modes == {
        ("lstm", "fused"),
        ("gru", "fused"),
        ("mingru", "parallel"),
        ("mingru", "sequential"),
        ("minlstm", "parallel"),
        ("minlstm", "sequential"),
        ("ssm", "parallel"),
        ("transformer", "parallel"),
    }
    assert len(training) == 16 and len(rows) == 16 + 6 * 2
    for row in rows:
        assert FIELDS <= set(row) and row["tokens_per_s"] > 0
        assert row["peak_mb"] is None or row["peak_mb"] >= 0
    assert all(r["ratio_to_gru"] == 1.0 for r in rows if r["cell"] == "gru")
    budgets = [r["parameters"] for r in training if r["cell"] != "transformer"]
    assert max(budgets) / min(budgets) < 1.3  # one parameter budget, as near as whole hidden sizes allow
    assert {r["batch_size"] for r in training if r["seq_len"] == 8} == {4}


def test_the_command_line_prints_the_rows_as_json(tmp_path, capsys):
    corpus = tmp_path / "tiny.txt"
    corpus.write_text(TINY_TEXT)
    argv = [
        "bench",
        "scaling",
        "--json",
        "--seq-lens",
        "8",
        "--cells",
        "gru,mingru",
        "--hidden",
        "8",
        "--embed",
        "4",
        "--tokens-per-step",
        "16",
        "--steps",
        "1",
        "--generation-tokens",
        "0",
        "--corpus",
        str(corpus),
    ]
    assert main(argv) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["cell"], r["mode"]) for r in rows] == [
        ("gru", "fused"),
        ("mingru", "parallel"),
        ("mingru", "sequential"),
    ]
    assert all(FIELDS <= set(r) for r in rows)


def test_a_bad_setting_is_refused(tiny_data):
    with pytest.raises(ConfigError):
        run_scaling(tiny_data, ScalingConfig(cells=("gru", "bogus")))
    with pytest.raises(ConfigError):
        run_scaling(tiny_data, ScalingConfig(seq_lens=(0,)))

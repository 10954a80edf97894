"""``python -m rnnviz gradflow`` takes every cell the Gradients page offers, by its registry key, in process."""

import json

import pytest

from rnnviz.cells import ALL_BY_LABEL, ALL_CELL_LABELS
from rnnviz.cli.main import main

PAGE_KEYS = [ALL_BY_LABEL[label].key for label in ALL_CELL_LABELS]  # the Gradients page's picker, by key
TINY = ["--hidden", "8", "--seq", "12", "--json"]


def test_the_command_offers_every_cell_the_page_does(capsys):
    with pytest.raises(SystemExit) as done:
        main(["gradflow", "--help"])
    assert done.value.code == 0
    assert "{" + ",".join(PAGE_KEYS) + "}" in capsys.readouterr().out.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_gradflow_measures_every_cell_by_its_key(key, capsys):
    assert main(["gradflow", "--cell", key, *TINY]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["key"] == key and len(result["relative_by_distance"]) == 12 and result["relative_by_distance"][0] == 1
    assert result["nonlinearity"] == ("relu" if key == "rnn-relu" else "tanh")
    assert result["measured"] == {"ssm": "state", "transformer": "input"}.get(key, "hidden")
    if key in ("mingru", "minlstm", "ssm", "transformer"):  # checked against the cell's own replay
        assert result["replay_diff"] <= 1e-5 and result["spectral_radius"] is None


def test_gradflow_reads_as_text_and_refuses_a_nonlinearity_a_cell_does_not_choose(capsys):
    assert main(["gradflow", "--cell", "minlstm", "--hidden", "8", "--seq", "12", "--forget-bias", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("minLSTM, H=8, T=12") and "keeps its own initialisation" in out and "per step" in out
    assert main(["gradflow", "--cell", "rnn", "--nonlinearity", "relu", *TINY]) == 0
    assert json.loads(capsys.readouterr().out)["nonlinearity"] == "relu"  # the plain RNN still chooses
    assert main(["gradflow", "--cell", "gru", "--nonlinearity", "relu"]) == 2
    assert "the plain RNN's choice" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["gradflow", "--cell", "mamba"])

"""One definition of a cell, read by configs, URLs, the CLI and charts."""

import pytest

from rnnviz.cells import BY_KEY, BY_LABEL, CELL_KINDS, DEFAULT_CELLS, MODULES, colour_for, kind_of_module
from rnnviz.charlm.model import ModelConfig
from rnnviz.cli import build_parser


def test_every_cell_builds_a_model_and_has_its_own_colour():
    assert len({kind.colour for kind in CELL_KINDS}) == len(CELL_KINDS)
    for kind in CELL_KINDS:
        config = ModelConfig(vocab_size=5, cell=kind.module, nonlinearity=kind.nonlinearity)
        assert kind_of_module(config.cell, config.nonlinearity) is kind
        assert colour_for(kind.label) == kind.colour == colour_for(f"{kind.label} [forget bias 3]")
    assert set(DEFAULT_CELLS) <= set(BY_LABEL) and set(BY_KEY) == {"rnn", "rnn-relu", "lstm", "gru"}
    assert colour_for("bahdanau", 0) != colour_for("bahdanau", 1)  # anything else: a fallback by position


def test_cli_choices_come_from_the_registry():
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["train", "--cell", "transformer", "--out", "x.safetensors"])
    for module in MODULES:
        assert parser.parse_args(["train", "--cell", module, "--out", "x.safetensors"]).cell == module

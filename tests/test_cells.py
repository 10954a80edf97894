"""One definition of a cell, read by configs, URLs, the CLI and charts."""

import pytest
from helpers import contrast_on_white, distance, simulated

from rnnviz.cells import (
    ALL_BY_KEY,
    ALL_CELL_KINDS,
    ALL_CELL_LABELS,
    BY_KEY,
    BY_LABEL,
    CELL_KINDS,
    CELL_LABELS,
    DEFAULT_CELLS,
    FAMILIES,
    MODEL_CELLS,
    colour_for,
    kind_of_module,
)
from rnnviz.charlm.model import ModelConfig
from rnnviz.cli import build_parser


def test_every_cell_builds_a_model_and_has_its_own_colour():
    assert len({kind.colour for kind in ALL_CELL_KINDS}) == len(ALL_CELL_KINDS)
    for kind in ALL_CELL_KINDS:
        config = ModelConfig(vocab_size=5, cell=kind.module, nonlinearity="relu" if kind.key == "rnn-relu" else "tanh")
        assert kind_of_module(config.cell, config.nonlinearity) is kind
        assert colour_for(kind.label) == kind.colour == colour_for(f"{kind.label} [forget bias 3]")
        assert kind.family in FAMILIES and kind.parallel == (kind.family != "fused")
    assert set(DEFAULT_CELLS) <= set(BY_LABEL) and set(BY_KEY) == {"rnn", "rnn-relu", "lstm", "gru"}
    assert set(ALL_BY_KEY) - set(BY_KEY) == {"mingru", "minlstm", "ssm", "transformer"}
    assert CELL_LABELS == tuple(kind.label for kind in CELL_KINDS)  # what the labs' pickers offer, unchanged
    assert ALL_CELL_LABELS[: len(CELL_LABELS)] == CELL_LABELS
    assert colour_for("bahdanau", 0) != colour_for("bahdanau", 1)  # anything else: a fallback by position


def test_cli_choices_come_from_the_registry():
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["train", "--cell", "bogus", "--out", "x.safetensors"])
    for module in MODEL_CELLS:
        assert parser.parse_args(["train", "--cell", module, "--out", "x.safetensors"]).cell == module


APART = 12  # CAM02-UCS units: about what tells two thin lines apart at a glance


def closest_pair(colours, deficiency: str) -> float:
    seen = [simulated(colour, deficiency) for colour in colours]
    return min(distance(a, b) for i, a in enumerate(seen) for b in seen[i + 1 :])


@pytest.mark.parametrize("deficiency", ["deuteranomaly", "protanomaly"])
def test_every_pair_of_cell_colours_stays_apart_for_red_green_colour_blindness(deficiency):
    from rnnviz.cells import FALLBACK_COLOURS

    assert closest_pair([kind.colour for kind in ALL_CELL_KINDS] + list(FALLBACK_COLOURS), deficiency) >= APART
    if deficiency == "deuteranomaly":  # the old red RNN and green GRU (#d62728, #2ca02c) fail it: the check bites
        assert closest_pair(["#d62728", "#2ca02c"], deficiency) < APART


def test_every_line_colour_stands_out_from_the_white_chart():
    """WCAG 2.1's non-text contrast (1.4.11): a line a student must follow is at least 3:1 against the background."""
    from rnnviz.cells import FALLBACK_COLOURS

    colours = [kind.colour for kind in ALL_CELL_KINDS] + list(FALLBACK_COLOURS)
    assert {c: round(contrast_on_white(c), 2) for c in colours if contrast_on_white(c) < 3} == {}
    assert contrast_on_white("#E69F00") < 3  # Okabe-Ito's orange, drawn before: the check bites


def test_every_cell_also_differs_by_dash_and_marker():
    from rnnviz.cells import style_for

    styles = [style_for(kind.label) for kind in ALL_CELL_KINDS] + [style_for("bahdanau", i) for i in range(4)]
    assert len({s["dash"] for s in styles[: len(ALL_CELL_KINDS)]}) == len(ALL_CELL_KINDS)
    assert len({s["symbol"] for s in styles}) == len(styles)
    assert style_for("LSTM [forget bias 3]") == style_for("LSTM")


def test_every_dash_is_one_plotly_draws():
    import plotly.graph_objects as go

    for kind in ALL_CELL_KINDS:
        go.Scatter(line=dict(dash=kind.dash))  # raises on a dash plotly does not know

"""The cells the app knows, defined once: the key a URL or the CLI uses, the label a page shows, the colour a
chart draws, and what ``nn.RNN/LSTM/GRU`` is built from (the module kind and, for the plain RNN, its nonlinearity).

Every page, chart, config and command line reads this table; nothing else spells a cell out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class CellKind:
    key: str  # in URLs and on the command line: "rnn", "rnn-relu", "lstm", "gru"
    label: str  # on the pages and in the charts' legends: "RNN (tanh)"
    module: str  # which fused PyTorch layer: "rnn", "lstm" or "gru"
    nonlinearity: str  # "tanh" or "relu" (only the plain RNN offers relu)
    # How a chart draws it. The colours are Okabe and Ito's palette, told apart with red-green colour blindness
    # (tests/test_cells.py simulates deuteranopia and protanopia); the dash and the marker tell the lines apart
    # without any colour at all.
    colour: str
    dash: str  # a Plotly line dash
    symbol: str  # a Plotly marker symbol


CELL_KINDS: tuple[CellKind, ...] = (
    CellKind(
        key="rnn", label="RNN (tanh)", module="rnn", nonlinearity="tanh", colour="#D55E00", dash="dot", symbol="circle"
    ),
    CellKind(
        key="rnn-relu",
        label="RNN (relu)",
        module="rnn",
        nonlinearity="relu",
        colour="#E69F00",
        dash="dashdot",
        symbol="diamond",
    ),
    CellKind(
        key="lstm", label="LSTM", module="lstm", nonlinearity="tanh", colour="#0072B2", dash="solid", symbol="square"
    ),
    CellKind(
        key="gru", label="GRU", module="gru", nonlinearity="tanh", colour="#009E73", dash="dash", symbol="triangle-up"
    ),
)
BY_KEY = {kind.key: kind for kind in CELL_KINDS}
BY_LABEL = {kind.label: kind for kind in CELL_KINDS}

MODULES = ("rnn", "lstm", "gru")  # the fused layers (``--cell`` on the command line)
NONLINEARITIES = ("tanh", "relu")
CELL_LABELS = tuple(kind.label for kind in CELL_KINDS)
DEFAULT_CELLS = ("RNN (tanh)", "LSTM", "GRU")  # the race every lab opens on
FALLBACK_COLOURS = ("#CC79A7", "#000000", "#56B4E9", "#882255")  # the rest of Okabe-Ito, and a wine red
FALLBACK_DASHES = ("longdash", "longdashdot", "solid", "dot")
FALLBACK_SYMBOLS = ("x", "star", "pentagon", "cross")


def kind_of_module(module: str, nonlinearity: str = "tanh") -> CellKind:
    """The registry entry of a fused layer and nonlinearity (``("rnn", "relu")`` -> RNN (relu))."""
    for kind in CELL_KINDS:
        if kind.module == module and kind.nonlinearity == nonlinearity:
            return kind
    raise KeyError(f"no cell {module!r} with {nonlinearity!r}")


def label_of_module(module: str, nonlinearity: str = "tanh") -> str:
    return kind_of_module(module, nonlinearity).label


def colour_for(label: str, index: int = 0) -> str:
    """A cell's colour by its label (a variant label such as "LSTM [forget bias 3]" counts as its cell);
    anything else gets a fallback colour by its position."""
    kind = BY_LABEL.get(label.split(" [")[0])
    return kind.colour if kind else FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)]


def style_for(label: str, index: int = 0) -> dict[str, str]:
    """How a chart draws a model: ``{"colour", "dash", "symbol"}``, the cell's own (a variant such as
    "LSTM [forget bias 3]" counts as its cell), or a fallback by position for anything else."""
    kind = BY_LABEL.get(label.split(" [")[0])
    if kind:
        return {"colour": kind.colour, "dash": kind.dash, "symbol": kind.symbol}
    n = index % len(FALLBACK_COLOURS)
    return {"colour": FALLBACK_COLOURS[n], "dash": FALLBACK_DASHES[n], "symbol": FALLBACK_SYMBOLS[n]}

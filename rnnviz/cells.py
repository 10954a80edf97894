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
    colour: str


CELL_KINDS: tuple[CellKind, ...] = (
    CellKind(key="rnn", label="RNN (tanh)", module="rnn", nonlinearity="tanh", colour="#d62728"),
    CellKind(key="rnn-relu", label="RNN (relu)", module="rnn", nonlinearity="relu", colour="#ff7f0e"),
    CellKind(key="lstm", label="LSTM", module="lstm", nonlinearity="tanh", colour="#1f77b4"),
    CellKind(key="gru", label="GRU", module="gru", nonlinearity="tanh", colour="#2ca02c"),
)
BY_KEY = {kind.key: kind for kind in CELL_KINDS}
BY_LABEL = {kind.label: kind for kind in CELL_KINDS}

MODULES = ("rnn", "lstm", "gru")  # the fused layers (``--cell`` on the command line)
NONLINEARITIES = ("tanh", "relu")
CELL_LABELS = tuple(kind.label for kind in CELL_KINDS)
DEFAULT_CELLS = ("RNN (tanh)", "LSTM", "GRU")  # the race every lab opens on
FALLBACK_COLOURS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


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

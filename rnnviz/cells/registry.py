"""The cells the app knows, defined once: the key a URL or the CLI uses, the label a page shows, the colour a
chart draws, and what each is built from (a fused ``nn.RNN/LSTM/GRU`` and, for the plain RNN, its nonlinearity; or
one of the newer cells of this package).

Every page, chart, config and command line reads this table; nothing else spells a cell out. ``CELL_KINDS`` (and
``BY_KEY``, ``BY_LABEL``, ``CELL_LABELS``) are the four classic cells the labs, the tagger and the classifier build
as fused layers; ``ALL_CELL_KINDS`` adds the newer cells (minGRU, minLSTM, a selective SSM, a Transformer), which
only the language model builds so far, so every user of the classic tables keeps working unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a cell is, for the code that has to treat them differently:
#   "fused"     a fused PyTorch recurrent layer (``module`` names it): its gates read h_{t-1}, so time is a loop
#   "scan"      a recurrence whose gates read only the input: linear in h, trained by a parallel scan over time
#   "attention" no recurrence at all: every position attends to the ones before it in a fixed window
FAMILIES = ("fused", "scan", "attention")


@dataclass(frozen=True, kw_only=True)
class CellKind:
    key: str  # in URLs and on the command line: "rnn", "rnn-relu", "lstm", "gru", "mingru", ...
    label: str  # on the pages and in the charts' legends: "RNN (tanh)"
    module: str  # which fused PyTorch layer ("rnn", "lstm" or "gru"), or the newer cell's own key ("mingru", ...)
    # The fused layers: "tanh" or "relu" (only the plain RNN offers relu). The newer cells have no nonlinearity
    # between h_{t-1} and h_t: "linear" (minGRU, minLSTM, the SSM) or "none" (the Transformer has no recurrence).
    nonlinearity: str
    # How a chart draws it. The colours are Okabe and Ito's palette (and, for the newer cells, colours picked to stay
    # apart from it), told apart with red-green colour blindness (tests/test_cells.py simulates deuteranopia and
    # protanopia), each at least 3:1 against the white chart (WCAG 2.1's non-text contrast); the dash and the marker
    # tell the lines apart without any colour at all.
    colour: str
    dash: str  # a Plotly line dash
    symbol: str  # a Plotly marker symbol
    family: str = "fused"  # one of FAMILIES

    @property
    def parallel(self) -> bool:
        """Whether training can compute every time step at once (no loop over time through h_{t-1})."""
        return self.family != "fused"


CELL_KINDS: tuple[CellKind, ...] = (
    CellKind(
        key="rnn", label="RNN (tanh)", module="rnn", nonlinearity="tanh", colour="#D55E00", dash="dot", symbol="circle"
    ),
    CellKind(
        key="rnn-relu",
        label="RNN (relu)",
        module="rnn",
        nonlinearity="relu",
        colour="#F64E66",  # a coral beside the tanh RNN's vermilion (Okabe-Ito's orange is 2.2:1 on white)
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
NEW_CELL_KINDS: tuple[CellKind, ...] = (
    CellKind(
        key="mingru",
        label="minGRU",
        module="mingru",
        nonlinearity="linear",
        colour="#427278",  # a slate teal beside the GRU's green (a light green is under 3:1 on white)
        dash="12px,3px",
        symbol="hexagon",
        family="scan",
    ),
    CellKind(
        key="minlstm",
        label="minLSTM",
        module="minlstm",
        nonlinearity="linear",
        colour="#5500AA",  # a violet beside the LSTM's blue
        dash="12px,3px,3px,3px",
        symbol="triangle-down",
        family="scan",
    ),
    CellKind(
        key="ssm",
        label="Selective SSM",
        module="ssm",
        nonlinearity="linear",
        colour="#550000",
        dash="8px,3px,2px,3px,2px,3px",
        symbol="hexagram",
        family="scan",
    ),
    CellKind(
        key="transformer",
        label="Transformer",
        module="transformer",
        nonlinearity="none",
        colour="#AA0033",
        dash="2px,6px",
        symbol="bowtie",
        family="attention",
    ),
)
ALL_CELL_KINDS: tuple[CellKind, ...] = CELL_KINDS + NEW_CELL_KINDS

BY_KEY = {kind.key: kind for kind in CELL_KINDS}  # the classic cells (what the fused layers build)
BY_LABEL = {kind.label: kind for kind in CELL_KINDS}
ALL_BY_KEY = {kind.key: kind for kind in ALL_CELL_KINDS}
ALL_BY_LABEL = {kind.label: kind for kind in ALL_CELL_KINDS}

MODULES = ("rnn", "lstm", "gru")  # the fused layers
SCAN_CELLS = tuple(kind.module for kind in NEW_CELL_KINDS if kind.family == "scan")  # mingru, minlstm, ssm
MODEL_CELLS = MODULES + tuple(kind.module for kind in NEW_CELL_KINDS)  # what the language model builds (``--cell``)
NONLINEARITIES = ("tanh", "relu")
CELL_LABELS = tuple(kind.label for kind in CELL_KINDS)  # the classic cells: what the labs' pickers offer today
ALL_CELL_LABELS = tuple(kind.label for kind in ALL_CELL_KINDS)
DEFAULT_CELLS = ("RNN (tanh)", "LSTM", "GRU")  # the race every lab opens on
FALLBACK_COLOURS = ("#CC79A7", "#000000", "#069CE4", "#882255")  # Okabe-Ito (its sky blue darkened), a wine red
FALLBACK_DASHES = ("longdash", "longdashdot", "solid", "dot")
FALLBACK_SYMBOLS = ("x", "star", "pentagon", "cross")


def kind_of_module(module: str, nonlinearity: str = "tanh") -> CellKind:
    """The registry entry of a model's ``cell`` and nonlinearity (``("rnn", "relu")`` -> RNN (relu)); a newer cell
    is found by its module alone (its config's nonlinearity, which only the plain RNN reads, does not matter)."""
    for kind in ALL_CELL_KINDS:
        if kind.module == module and (kind.family != "fused" or kind.nonlinearity == nonlinearity):
            return kind
    raise KeyError(f"no cell {module!r} with {nonlinearity!r}")


def label_of_module(module: str, nonlinearity: str = "tanh") -> str:
    return kind_of_module(module, nonlinearity).label


def colour_for(label: str, index: int = 0) -> str:
    """A cell's colour by its label (a variant label such as "LSTM [forget bias 3]" counts as its cell);
    anything else gets a fallback colour by its position."""
    kind = ALL_BY_LABEL.get(label.split(" [")[0])
    return kind.colour if kind else FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)]


def style_for(label: str, index: int = 0) -> dict[str, str]:
    """How a chart draws a model: ``{"colour", "dash", "symbol"}``, the cell's own (a variant such as
    "LSTM [forget bias 3]" counts as its cell), or a fallback by position for anything else."""
    kind = ALL_BY_LABEL.get(label.split(" [")[0])
    if kind:
        return {"colour": kind.colour, "dash": kind.dash, "symbol": kind.symbol}
    n = index % len(FALLBACK_COLOURS)
    return {"colour": FALLBACK_COLOURS[n], "dash": FALLBACK_DASHES[n], "symbol": FALLBACK_SYMBOLS[n]}

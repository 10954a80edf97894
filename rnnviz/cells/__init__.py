"""The cells the app knows, in one registry (``registry.py``: key, label, colour, what each is built from), and the
newer cells' own modules: ``mingru.py`` and ``minlstm.py`` (Feng et al. 2024), ``ssm.py`` (a selective state-space
cell after Mamba's S6), ``transformer.py`` (a small causal Transformer), with ``scan.py`` and ``stack.py`` shared.
Importing the package reads only the registry (no torch), so charts and configs can use it.
"""

from rnnviz.cells.registry import (
    ALL_BY_KEY,
    ALL_BY_LABEL,
    ALL_CELL_KINDS,
    ALL_CELL_LABELS,
    BY_KEY,
    BY_LABEL,
    CELL_KINDS,
    CELL_LABELS,
    DEFAULT_CELLS,
    FALLBACK_COLOURS,
    FALLBACK_DASHES,
    FALLBACK_SYMBOLS,
    FAMILIES,
    MODEL_CELLS,
    MODULES,
    NEW_CELL_KINDS,
    NONLINEARITIES,
    SCAN_CELLS,
    CellKind,
    colour_for,
    kind_of_module,
    label_of_module,
    style_for,
)

__all__ = [
    "ALL_BY_KEY",
    "ALL_BY_LABEL",
    "ALL_CELL_KINDS",
    "ALL_CELL_LABELS",
    "BY_KEY",
    "BY_LABEL",
    "CELL_KINDS",
    "CELL_LABELS",
    "DEFAULT_CELLS",
    "FALLBACK_COLOURS",
    "FALLBACK_DASHES",
    "FALLBACK_SYMBOLS",
    "FAMILIES",
    "MODEL_CELLS",
    "MODULES",
    "NEW_CELL_KINDS",
    "NONLINEARITIES",
    "SCAN_CELLS",
    "CellKind",
    "colour_for",
    "kind_of_module",
    "label_of_module",
    "style_for",
]

"""The Train page's settings as plain data: defaults, presets, and a round trip through the URL.

A teacher shares a link such as ``/Train?preset=vanishing`` or ``/Train?cells=LSTM,GRU&hidden=64``;
every value read from the URL is checked and clamped here, and each one that had to be changed
comes back as a warning to show, never an exception.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from rnnviz.comparison import CELL_CHOICES, ComparisonConfig
from rnnviz.corpora import CORPUS_NAMES
from rnnviz.initialization import INIT_SCHEMES, InitConfig
from rnnviz.limits import LIMITS
from rnnviz.trainer import OPTIMIZERS, TrainConfig

# Streamlit reserves ?embed= and ?embed_options=, so the embedding size travels as ?emb=.
URL_NAMES = {"embed": "emb"}
CELL_KEYS = {"rnn": "RNN (tanh)", "rnn-relu": "RNN (relu)", "lstm": "LSTM", "gru": "GRU"}
CELL_NAMES_TO_KEYS = {v: k for k, v in CELL_KEYS.items()}


@dataclass(frozen=True)
class TrainPageConfig:
    corpus: str = "python-docs"
    cells: tuple[str, ...] = ("RNN (tanh)", "LSTM", "GRU")
    same_budget: bool = False
    hidden: int = 64
    layers: int = 1
    embed: int = 32
    dropout: float = 0.0
    seq_len: int = 64
    batch_size: int = 32
    lr: float = 3e-3
    optimizer: str = "adam"
    clip: bool = True
    clip_norm: float = 1.0
    init: str = "default"
    radius: float = 0.0  # 0: leave W_hh's spectral radius alone
    forget_bias: float = 0.0  # 0: PyTorch's default biases
    seed: int = 0
    steps: int = 1000
    sample_every: int = 100

    def comparison(self) -> ComparisonConfig:
        init = InitConfig(
            self.init,
            spectral_radius=self.radius or None,
            forget_bias=self.forget_bias or None,
        )
        train = TrainConfig(
            seq_len=self.seq_len,
            batch_size=self.batch_size,
            learning_rate=self.lr,
            optimizer=self.optimizer,
            clip=self.clip,
            clip_norm=self.clip_norm,
            seed=self.seed,
            eval_every=50,
            eval_chars=4_000,
        )
        return ComparisonConfig(
            cells=self.cells,
            hidden_size=self.hidden,
            num_layers=self.layers,
            embed_size=self.embed,
            dropout=self.dropout,
            same_budget=self.same_budget,
            init=init,
            train=train,
            max_steps=self.steps,
            sample_every=self.sample_every,
        )


PRESETS: dict[str, tuple[str, TrainPageConfig]] = {
    "compare": ("RNN vs LSTM vs GRU on the Python docs", TrainPageConfig()),
    "vanishing": (
        "Vanishing gradients: RNN vs LSTM",
        TrainPageConfig(cells=("RNN (tanh)", "LSTM"), seq_len=128, hidden=64, same_budget=True, steps=1500),
    ),
    "shakespeare": (
        "Shakespeare char-LSTM",
        TrainPageConfig(corpus="shakespeare", cells=("LSTM",), hidden=256, embed=64, seq_len=100, steps=3000),
    ),
    "code": (
        "Learn Python code",
        TrainPageConfig(corpus="python-code", cells=("LSTM", "GRU"), hidden=128, seq_len=100, steps=2000),
    ),
    "exploding": (
        "Exploding RNN: no clipping, radius 1.5",
        TrainPageConfig(cells=("RNN (relu)", "LSTM"), init="orthogonal", radius=1.5, clip=False, lr=1e-2, steps=500),
    ),
}

# Allowed ranges of numeric settings: (low, high)
RANGES = {
    "hidden": (1, LIMITS.max_hidden_size),
    "layers": (1, LIMITS.max_layers),
    "embed": (1, LIMITS.max_embed_size),
    "dropout": (0.0, 0.9),
    "seq_len": (2, LIMITS.max_seq_len),
    "batch_size": (1, LIMITS.max_batch_size),
    "lr": (1e-5, 1.0),
    "clip_norm": (0.01, 100.0),
    "radius": (0.0, 3.0),
    "forget_bias": (-5.0, 10.0),
    "seed": (0, 2**31 - 1),
    "steps": (1, LIMITS.max_steps_per_run),
    "sample_every": (0, 10_000),
}


def to_query_params(config: TrainPageConfig) -> dict[str, str]:
    """Only the settings that differ from the defaults, as URL strings."""
    default = TrainPageConfig()
    params = {}
    for f in fields(TrainPageConfig):
        value = getattr(config, f.name)
        if value == getattr(default, f.name):
            continue
        name = URL_NAMES.get(f.name, f.name)
        if f.name == "cells":
            params["cells"] = ",".join(CELL_NAMES_TO_KEYS[c] for c in value)
        elif isinstance(value, bool):
            params[name] = "1" if value else "0"
        else:
            params[name] = str(value)
    return params


def from_query_params(params: dict[str, str]) -> tuple[TrainPageConfig, list[str]]:
    """Settings from URL strings (a ``preset`` first, then single values on top), with warnings."""
    warnings: list[str] = []
    config = TrainPageConfig()
    preset = params.get("preset")
    if preset:
        if preset in PRESETS:
            config = PRESETS[preset][1]
        else:
            warnings.append(f"Unknown preset {preset!r}; using the defaults.")
    values = asdict(config)
    for f in fields(TrainPageConfig):
        raw = params.get(URL_NAMES.get(f.name, f.name))
        if raw is None or f.name == "cells":
            continue
        default = values[f.name]
        try:
            if isinstance(default, bool):
                if raw.lower() not in ("0", "1", "true", "false"):
                    raise ValueError
                value = raw.lower() in ("1", "true")
            elif isinstance(default, int):
                value = int(float(raw))
            elif isinstance(default, float):
                value = float(raw)
                if value != value:  # NaN
                    raise ValueError
            else:
                value = raw
        except ValueError:
            warnings.append(f"Ignored {f.name}={raw!r}: not a valid value.")
            continue
        if f.name in RANGES:
            low, high = RANGES[f.name]
            clamped = min(max(value, low), high)
            if clamped != value:
                warnings.append(f"{f.name}={raw} is outside {low}..{high}; using {clamped}.")
            value = type(default)(clamped)
        values[f.name] = value
    if values["corpus"] not in CORPUS_NAMES:
        warnings.append(f"Unknown corpus {values['corpus']!r}; using python-docs.")
        values["corpus"] = "python-docs"
    if values["optimizer"] not in OPTIMIZERS:
        warnings.append(f"Unknown optimizer {values['optimizer']!r}; using adam.")
        values["optimizer"] = "adam"
    if values["init"] not in INIT_SCHEMES:
        warnings.append(f"Unknown initialisation {values['init']!r}; using default.")
        values["init"] = "default"
    if "cells" in params:
        keys = [k.strip().lower() for k in params["cells"].split(",") if k.strip()]
        cells = tuple(CELL_KEYS[k] for k in keys if k in CELL_KEYS)
        bad = [k for k in keys if k not in CELL_KEYS]
        if bad:
            warnings.append(f"Unknown cells {bad}; known: {', '.join(CELL_KEYS)}.")
        if cells:
            values["cells"] = tuple(dict.fromkeys(cells))
    values["cells"] = tuple(values["cells"])
    assert all(c in CELL_CHOICES for c in values["cells"])
    return replace(config, **values), warnings

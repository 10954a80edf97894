"""The Train page's settings as plain data: defaults, presets, bounds, and a round trip through the URL.

A teacher shares a link such as ``/Train?preset=vanishing`` or ``/Train?cells=lstm,gru&hidden=64``;
every value read from the URL is checked and clamped here, and each one that had to be changed
comes back as a warning to show, never an exception. Field names are the configs' own
(``hidden_size``, ``learning_rate``, ...); ``URL_KEYS`` is the one table of the shorter names a link uses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from rnnviz.cells import BY_KEY, BY_LABEL, DEFAULT_CELLS
from rnnviz.charlm.corpora import CORPUS_NAMES
from rnnviz.charlm.initialization import INIT_SCHEMES, InitConfig
from rnnviz.charlm.trainer import OPTIMIZERS, TrainConfig
from rnnviz.charlm.vocab import TOKEN_KINDS
from rnnviz.i18n import Message
from rnnviz.labs.language_models import LanguageModelLabConfig
from rnnviz.limits import LIMITS

# field -> the key a link uses, where it is not the field's own name. Streamlit reserves ?embed= and
# ?embed_options=, so the embedding size travels as ?emb=; the others keep the links people already share.
URL_KEYS = {"hidden_size": "hidden", "num_layers": "layers", "embed_size": "emb", "learning_rate": "lr"}


@dataclass(frozen=True, kw_only=True)
class TrainSettings:
    corpus: str = "python-docs"
    tokens: str = "chars"  # or "words": word and punctuation tokens, the 10,000 most frequent (the rest <unk>)
    cells: tuple[str, ...] = DEFAULT_CELLS  # labels from rnnviz.cells; a link names them by key
    same_budget: bool = False
    hidden_size: int = 64
    num_layers: int = 1
    embed_size: int = 32
    dropout: float = 0.0
    seq_len: int = 64
    batch_size: int = 32
    learning_rate: float = 3e-3
    optimizer: str = "adam"
    clip: bool = True
    clip_norm: float = 1.0
    init: str = "default"
    radius: float = 0.0  # 0: leave W_hh's spectral radius alone
    forget_bias: float = 0.0  # 0: PyTorch's default biases
    seed: int = 0
    steps: int = 1000
    sample_every: int = 100
    repeats: int = 1  # seeds: every cell once per seed, drawn faintly with the mean on top

    def lab_config(self) -> LanguageModelLabConfig:
        init = InitConfig(
            scheme=self.init,
            spectral_radius=self.radius or None,
            forget_bias=self.forget_bias or None,
        )
        train = TrainConfig(
            seq_len=self.seq_len,
            batch_size=self.batch_size,
            learning_rate=self.learning_rate,
            optimizer=self.optimizer,
            clip=self.clip,
            clip_norm=self.clip_norm,
            seed=self.seed,
            eval_every=50,
            eval_chars=4_000,
        )
        return LanguageModelLabConfig(
            cells=self.cells,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            embed_size=self.embed_size,
            dropout=self.dropout,
            same_budget=self.same_budget,
            init=init,
            train=train,
            steps=self.steps,
            sample_every=self.sample_every,
            repeats=self.repeats,
        )


PRESETS: dict[str, TrainSettings] = {  # each preset's title: the catalogues' train.presets.NAME
    "compare": TrainSettings(),
    "vanishing": TrainSettings(cells=("RNN (tanh)", "LSTM"), seq_len=128, hidden_size=64, same_budget=True, steps=1500),
    "shakespeare": TrainSettings(
        corpus="shakespeare", cells=("LSTM",), hidden_size=256, embed_size=64, seq_len=100, steps=3000
    ),
    "code": TrainSettings(corpus="python-code", cells=("LSTM", "GRU"), hidden_size=128, seq_len=100, steps=2000),
    "words": TrainSettings(tokens="words", cells=("LSTM", "GRU"), hidden_size=128, seq_len=32, steps=1500),
    "exploding": TrainSettings(
        cells=("RNN (relu)", "LSTM"), init="orthogonal", radius=1.5, clip=False, learning_rate=1e-2, steps=500
    ),
}

# Allowed values of the numeric settings, (low, high): for the URL and for the sidebar's widgets alike.
BOUNDS = {
    "hidden_size": (1, LIMITS.max_hidden_size),
    "num_layers": (1, LIMITS.max_layers),
    "embed_size": (1, LIMITS.max_embed_size),
    "dropout": (0.0, 0.9),
    "seq_len": (2, LIMITS.max_seq_len),
    "batch_size": (1, LIMITS.max_batch_size),
    "learning_rate": (1e-5, 1.0),
    "clip_norm": (0.01, 100.0),
    "radius": (0.0, 3.0),
    "forget_bias": (-5.0, 10.0),
    "seed": (0, 2**31 - 1),
    "steps": (1, LIMITS.max_steps_per_run),
    "sample_every": (0, 10_000),
    "repeats": (1, LIMITS.max_repeats),
}


def url_key(field: str) -> str:
    return URL_KEYS.get(field, field)


def to_query_params(settings: TrainSettings, include_defaults: bool = False) -> dict[str, str]:
    """The settings as URL strings: only those that differ from the defaults, unless ``include_defaults``."""
    default = TrainSettings()
    params = {}
    for f in fields(TrainSettings):
        value = getattr(settings, f.name)
        if value == getattr(default, f.name) and not include_defaults:
            continue
        if f.name == "cells":
            params["cells"] = ",".join(BY_LABEL[c].key for c in value)
        elif isinstance(value, bool):
            params[url_key(f.name)] = "1" if value else "0"
        else:
            params[url_key(f.name)] = str(value)
    return params


def _parse(raw: str, default):
    """A URL string as the type of the default; ValueError when it is not one."""
    if isinstance(default, bool):
        if raw.lower() not in ("0", "1", "true", "false"):
            raise ValueError
        return raw.lower() in ("1", "true")
    if isinstance(default, int):
        return int(float(raw))
    if isinstance(default, float):
        value = float(raw)
        if value != value:  # NaN
            raise ValueError
        return value
    return raw


def from_query_params(params: dict[str, str]) -> tuple[TrainSettings, list[str]]:
    """Settings from URL strings (a ``preset`` first, then single values on top), with warnings."""
    warnings: list[str] = []
    settings = TrainSettings()
    preset = params.get("preset")
    if preset:
        if preset in PRESETS:
            settings = PRESETS[preset]
        else:
            warnings.append(Message("errors.link.preset", preset=repr(preset)))
    values = asdict(settings)
    for f in fields(TrainSettings):
        raw = params.get(url_key(f.name))
        if raw is None or f.name == "cells":
            continue
        default = values[f.name]
        try:
            value = _parse(raw, default)
        except ValueError:
            warnings.append(Message("errors.link.invalid", key=url_key(f.name), raw=repr(raw)))
            continue
        if f.name in BOUNDS:
            low, high = BOUNDS[f.name]
            clamped = min(max(value, low), high)
            if clamped != value:
                warnings.append(
                    Message("errors.link.outside", key=url_key(f.name), raw=raw, low=low, high=high, clamped=clamped)
                )
            value = type(default)(clamped)
        values[f.name] = value
    for name, allowed, fallback in (
        ("corpus", CORPUS_NAMES, "python-docs"),
        ("optimizer", OPTIMIZERS, "adam"),
        ("init", INIT_SCHEMES, "default"),
        ("tokens", TOKEN_KINDS, "chars"),
    ):
        if values[name] not in allowed:
            warnings.append(Message("errors.link.unknown", name=name, value=repr(values[name]), fallback=fallback))
            values[name] = fallback
    if "cells" in params:
        keys = [k.strip().lower() for k in params["cells"].split(",") if k.strip()]
        cells = tuple(BY_KEY[k].label for k in keys if k in BY_KEY)
        bad = [k for k in keys if k not in BY_KEY]
        if bad:
            warnings.append(Message("errors.link.cells", bad=bad, known=", ".join(BY_KEY)))
        if cells:
            values["cells"] = tuple(dict.fromkeys(cells))
    values["cells"] = tuple(values["cells"])
    return replace(settings, **values), warnings

"""The Train page's settings as plain data: defaults, presets, the allowed values, and the short names links use.

Field names are the configs' own (``hidden_size``, ``learning_rate``, ...); ``URL_KEYS`` is the one table of the
shorter names a link uses. ``BOUNDS`` and ``CHOICES`` are what both the sidebar's widgets and a link may hold.
Reading and writing a link is the UI's business (``rnnviz/ui/train_url.py``): nothing here knows about URLs beyond
the names.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from rnnviz.cells import DEFAULT_CELLS
from rnnviz.charlm.corpora import CORPUS_NAMES
from rnnviz.charlm.initialization import INIT_SCHEMES, InitConfig
from rnnviz.charlm.trainer import OPTIMIZERS, TrainConfig
from rnnviz.charlm.vocab import TOKEN_KINDS
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


# The allowed values of the settings that are a choice of names, with the fallback a bad link gets: the default.
CHOICES = {"corpus": CORPUS_NAMES, "optimizer": OPTIMIZERS, "init": INIT_SCHEMES, "tokens": TOKEN_KINDS}


def url_key(field: str) -> str:
    """The name a link gives ``field``: its short name in ``URL_KEYS``, else its own."""
    return URL_KEYS.get(field, field)


# -- Rewind: the last race again, from its seed, with the settings as they stand now --------------------------------

# The settings that shape the models' first weights or the batches they read: where one changed, a rewind keeps the
# seed but not the very same start (or batches). The others (learning rate, optimiser, clipping, steps, ...) leave
# both alone.
SHAPING = (
    "corpus",
    "tokens",
    "cells",
    "same_budget",
    "hidden_size",
    "num_layers",
    "embed_size",
    "init",
    "radius",
    "forget_bias",
    "seq_len",
    "batch_size",
)


def rewound(last: TrainSettings, now: TrainSettings) -> TrainSettings:
    """The settings ``now`` on the last race's seed: the same initialisation and the same batches, with whatever
    setting changed since (``changed_settings``) as the one difference."""
    return replace(now, seed=last.seed)


def changed_settings(last: TrainSettings, now: TrainSettings) -> list[tuple[str, object, object]]:
    """(field, its value in ``last``, its value in ``now``) for every setting that differs but the seed, in the
    sidebar's order."""
    return [
        (f.name, getattr(last, f.name), getattr(now, f.name))
        for f in fields(TrainSettings)
        if f.name != "seed" and getattr(last, f.name) != getattr(now, f.name)
    ]

"""Gradient decay at initialisation: ||dL_T/dh_t|| against distance for a few named models, measured at once."""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.cells import BY_LABEL
from rnnviz.charlm.initialization import InitConfig
from rnnviz.i18n import t
from rnnviz.labs.gradient_decay import gradflow_at_init
from rnnviz.lessons.experiments.base import Experiment


@dataclass(frozen=True, kw_only=True)
class DecayConfig:
    variants: tuple[str, ...]  # cell labels ("RNN (tanh)", "LSTM") or the named variants of ``variant`` below
    hidden_size: int = 128
    seq_len: int = 100
    radius: float | None = None  # rnn-identity: W_hh = r I; rnn-relu-radius: the spectral radius
    forget_bias: float | None = None  # lstm-forget-bias (0: PyTorch's default)
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "variants", tuple(self.variants))


def variant(name: str, config: DecayConfig) -> tuple[str, dict]:
    """A named model of the decay experiments -> (its label, the keyword arguments of ``gradflow_at_init``)."""
    if name == "rnn-identity":
        init = InitConfig(scheme="identity", spectral_radius=config.radius)
        return f"RNN, W_hh = {config.radius:g} I", {"cell": "rnn", "init": init, "input_scale": 1e-4}
    if name == "rnn-relu-radius":
        init = InitConfig(scheme="orthogonal", spectral_radius=config.radius)
        return f"RNN (relu), radius {config.radius:g}", {"cell": "rnn", "nonlinearity": "relu", "init": init}
    if name == "lstm-forget-bias":
        bias = config.forget_bias
        return f"LSTM [forget bias {bias:g}]", {"cell": "lstm", "init": InitConfig(forget_bias=bias or None)}
    if name == "lstm-chrono":
        return f"LSTM [chrono, T = {config.seq_len}]", {"cell": "lstm", "init": InitConfig(chrono_t_max=config.seq_len)}
    kind = BY_LABEL[name]
    return name, {"cell": kind.module, "nonlinearity": kind.nonlinearity}


def decay_curves(config: DecayConfig) -> dict:
    """``series``: label -> relative gradient norm by distance; ``rows``: each model's fitted rate and gates."""
    series, rows = {}, []
    for name in config.variants:
        label, kwargs = variant(name, config)
        result = gradflow_at_init(hidden_size=config.hidden_size, seq_len=config.seq_len, seed=config.seed, **kwargs)
        series[label] = result.relative_by_distance
        relative = result.relative_by_distance
        rows.append(
            {
                "model": label,
                "decay per step": result.decay_per_step,
                "left after 50 steps": relative[50] if len(relative) > 50 else None,
                "spectral radius of W_hh": result.spectral_radius,
                "mean forget / update gate": result.mean_forget_or_update_gate,
            }
        )
    return {"series": series, "rows": rows}


class DecayAtInit(Experiment):
    key = "decay_at_init"
    kind = "decay"
    config_type = DecayConfig
    imports = """
from rnnviz.labs.gradient_decay import describe_decay
from rnnviz.lessons.experiments.decay import DecayConfig, decay_curves
"""
    body = """
for row in decay_curves(config)["rows"]:
    print(row["model"], describe_decay(row["decay per step"]))
"""

    def start(self, config: DecayConfig) -> dict:
        return decay_curves(config)

    def summarise(self, result: dict) -> str:
        parts = []
        for row in result["rows"]:
            remaining = row["left after 50 steps"]
            left = t("lessons.summary.left_after", left=f"{remaining:.0e}") if remaining else ""
            parts.append(t("lessons.summary.per_step", model=row["model"], rate=row["decay per step"], left=left))
        return "; ".join(parts) + "."

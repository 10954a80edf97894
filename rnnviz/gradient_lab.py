"""Gradient decay over time at initialisation: the numbers behind the vanishing-gradient lesson.

A model of the chosen cell reads a random character sequence; ``||dL_T/dh_t||`` (the loss at the
last step, differentiated with respect to every earlier hidden state, by the exact BPTT of
``rnnviz.introspect``) is reported against the distance T - t, with the fitted per-step decay
rate and the spectral radius of W_hh that drives it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch

from rnnviz.initialization import InitConfig, spectral_radius
from rnnviz.introspect.gradients import fit_decay_rate, gradient_flow
from rnnviz.model import CharRNN, ModelConfig
from rnnviz.trainer import build_model

LAB_VOCAB = 32


@dataclass(frozen=True)
class GradFlowResult:
    cell: str
    nonlinearity: str
    hidden: int
    seq_len: int
    init: dict
    norms_by_distance: list[float]  # index d: ||dL_T/dh_{T-d}||, layer 0
    relative_by_distance: list[float]  # the same divided by the value at distance 0
    decay_per_step: float | None
    spectral_radius: float  # of W_hh (the whole matrix for the RNN; the candidate block otherwise)
    mean_forget_or_update_gate: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def lab_model(cell: str, hidden: int, init: InitConfig, nonlinearity: str = "tanh", seed: int = 0,
              input_scale: float = 1.0) -> CharRNN:  # fmt: skip
    config = ModelConfig(LAB_VOCAB, cell, hidden, 1, embed_size=32, nonlinearity=nonlinearity)
    model = build_model(config, init, seed=seed)
    if input_scale != 1.0:
        with torch.no_grad():
            model.embed.weight.mul_(input_scale)
    return model


def random_ids(length: int, seed: int) -> torch.Tensor:
    return torch.randint(0, LAB_VOCAB, (length + 1,), generator=torch.Generator().manual_seed(seed))


def measure_gradient_flow(model: CharRNN, ids: torch.Tensor) -> GradFlowResult:
    """Gradient norms by distance for ``model`` over ``ids`` (T+1,)."""
    from rnnviz.introspect.replay import trace_ids

    flow = gradient_flow(model, ids)
    norms = list(reversed(flow.last_loss_norms[0]))
    base = norms[0] if norms and norms[0] > 0 else 1.0
    cfg = model.config
    w_hh = model.rnn.weight_hh_l0.detach()
    hidden = cfg.hidden_size
    block = w_hh if cfg.cell == "rnn" else w_hh[-hidden:]
    gate = None
    if cfg.cell in ("lstm", "gru"):
        trace = trace_ids(model, ids[:-1])
        gate = float(trace.layers[0].gates["f" if cfg.cell == "lstm" else "z"].mean())
    return GradFlowResult(
        cfg.cell, cfg.nonlinearity, hidden, len(ids) - 1, {}, norms, [n / base for n in norms],
        fit_decay_rate(norms), spectral_radius(block), gate,
    )  # fmt: skip


def gradflow_at_init(
    cell: str,
    hidden: int = 128,
    seq_len: int = 100,
    init: InitConfig | None = None,
    nonlinearity: str = "tanh",
    seed: int = 0,
    input_scale: float = 1.0,
) -> GradFlowResult:
    init = init or InitConfig()
    model = lab_model(cell, hidden, init, nonlinearity, seed, input_scale)
    result = measure_gradient_flow(model, random_ids(seq_len, seed))
    return GradFlowResult(**{**result.to_dict(), "init": init.to_dict()})


def describe_decay(rate: float | None, distance: int = 50) -> str:
    """'the gradient shrinks x0.62 per step; after 50 steps it is 4e-11 of what it was'."""
    if rate is None:
        return "not enough steps to fit a rate"
    verb = "shrinks" if rate < 1 else "grows"
    return f"the gradient {verb} x{rate:.2f} per step; after {distance} steps it is {rate**distance:.0e} of what it was"

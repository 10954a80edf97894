"""Initialisation schemes a lesson on recurrent networks needs.

The recurrent matrix W_hh decides whether signals (and gradients) grow or shrink from step to
step; these functions set it deliberately: orthogonal, identity (IRNN, Le et al. 2015), or any
scheme rescaled to a chosen spectral radius. Gate biases decide how much a gated cell
remembers: LSTM forget-gate bias, GRU update-gate bias, or chrono initialisation
(Tallec & Ollivier 2018). PyTorch's gate order: LSTM (i, f, g, o), GRU (r, z, n).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from rnnviz.charlm.model import GATES_PER_CELL, CharRNN, ConfigError
from rnnviz.i18n import Message

INIT_SCHEMES = ("default", "orthogonal", "identity")


@dataclass(frozen=True, kw_only=True)
class InitConfig:
    scheme: str = "default"
    spectral_radius: float | None = None  # rescale each W_hh gate block to this radius
    forget_bias: float | None = None  # LSTM: total bias of the forget gate
    update_bias: float | None = None  # GRU: total bias of the update gate z (z near 1 keeps memory)
    chrono_t_max: int | None = None  # chrono init for LSTM/GRU gate biases

    def __post_init__(self):
        if self.scheme not in INIT_SCHEMES:
            raise ConfigError(Message("errors.config.init", names=", ".join(INIT_SCHEMES), value=repr(self.scheme)))
        if self.spectral_radius is not None and not (0 < self.spectral_radius <= 10):
            raise ConfigError(Message("errors.config.radius"))
        if self.chrono_t_max is not None and self.chrono_t_max < 2:
            raise ConfigError(Message("errors.config.chrono"))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> InitConfig:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def spectral_radius(matrix: torch.Tensor) -> float:
    """Largest |eigenvalue| of a square matrix."""
    return float(torch.linalg.eigvals(matrix.detach().double()).abs().max())


def apply_init(model: CharRNN, init: InitConfig, generator: torch.Generator | None = None) -> None:
    """Apply ``init`` to the recurrent layer of ``model`` in place.

    The newer cells (``rnnviz/cells/``) have no W_hh to shape, so they take only the default scheme (their own
    initialisation: Mamba's step sizes, nanoGPT's weights); the gate-bias options are the LSTM's and the GRU's, and
    are ignored for them as the forget bias is for a GRU."""
    rnn = model.rnn
    cell = model.config.cell
    if cell not in GATES_PER_CELL:
        if init.scheme != "default" or init.spectral_radius is not None:
            value = init.scheme if init.scheme != "default" else f"spectral_radius={init.spectral_radius}"
            raise ConfigError(Message("errors.config.init", names="default", value=repr(value)))
        return
    gates = GATES_PER_CELL[cell]
    hidden = model.config.hidden_size
    with torch.no_grad():
        for layer in range(model.config.num_layers):
            w_hh = getattr(rnn, f"weight_hh_l{layer}")  # (gates*H, H)
            for g in range(gates):
                block = w_hh[g * hidden : (g + 1) * hidden]
                if init.scheme == "orthogonal":
                    nn.init.orthogonal_(block, generator=generator)
                elif init.scheme == "identity":
                    block.copy_(torch.eye(hidden))
                if init.spectral_radius is not None:
                    radius = spectral_radius(block)
                    if radius > 0:
                        block.mul_(init.spectral_radius / radius)
            _set_gate_biases(rnn, cell, layer, hidden, init, generator)


def _set_gate_biases(rnn, cell, layer, hidden, init: InitConfig, generator) -> None:
    b_ih = getattr(rnn, f"bias_ih_l{layer}")
    b_hh = getattr(rnn, f"bias_hh_l{layer}")
    gate_slice = slice(hidden, 2 * hidden)  # forget gate (LSTM) and update gate (GRU) are both block 1
    if init.chrono_t_max is not None and cell in ("lstm", "gru"):
        uniform = torch.rand(hidden, generator=generator) * (init.chrono_t_max - 2) + 1
        chrono = torch.log(uniform)
        b_ih[gate_slice] = chrono
        b_hh[gate_slice] = 0.0
        if cell == "lstm":  # input gate gets the opposite bias
            b_ih[0:hidden] = -chrono
            b_hh[0:hidden] = 0.0
        return
    if cell == "lstm" and init.forget_bias is not None:
        b_ih[gate_slice] = init.forget_bias
        b_hh[gate_slice] = 0.0
    if cell == "gru" and init.update_bias is not None:
        b_ih[gate_slice] = init.update_bias
        b_hh[gate_slice] = 0.0

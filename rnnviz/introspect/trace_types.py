"""What a trace holds: every gate and state of every layer over a text, and how it was checked.

Plain containers (and the accessor of a layer's weights) shared by the replay, the batched trace,
the hand-written BPTT and the charts, so none of them needs to import another to know the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from rnnviz.charlm.model import CharRNN

EXACTNESS_TOLERANCE = 1e-5  # replay vs fused, max abs difference (design rule 1)


@dataclass
class LayerTrace:
    h: torch.Tensor  # (T, H): the layer's output (the SSM's after its output projection; a Transformer block's)
    c: torch.Tensor | None  # (T, H), LSTM only
    gates: dict[str, torch.Tensor]  # name -> (T, H); the newer cells' step sizes and decays too ("delta", "decay")
    states: dict[str, torch.Tensor] = field(
        default_factory=dict
    )  # other shapes: the SSM's B, C (T, N), state (T, D, N)
    attention: torch.Tensor | None = None  # (heads, T, T): a Transformer block's weights, each row sums to 1


@dataclass
class Trace:
    text: str  # "".join(tokens)
    ids: torch.Tensor  # (T,)
    cell: str
    layers: list[LayerTrace]
    logits: torch.Tensor  # (T, V)
    probs: torch.Tensor  # (T, V): next-token distribution after each token
    loss_per_char: torch.Tensor  # (T-1,): -log p(ids[t+1]) after reading ids[..t] (per token: a char or a word)
    max_abs_diff: float  # replay vs fused top-layer output
    skipped: list[str] = field(default_factory=list)  # characters skipped (or words read as <unk>)
    tokens: list[str] = field(default_factory=list)  # (T,) each step's token as it reads in the text

    @property
    def labels(self) -> list[str]:
        """Each step's token, or its id when the trace was taken from ids alone."""
        return self.tokens or [str(int(i)) for i in self.ids]

    @property
    def exact(self) -> bool:
        return self.max_abs_diff <= EXACTNESS_TOLERANCE


def layer_weights(model: CharRNN, layer: int):
    """(W_ih, W_hh, b_ih, b_hh) of one layer, under PyTorch's own names."""
    rnn = model.rnn
    return (
        getattr(rnn, f"weight_ih_l{layer}"),
        getattr(rnn, f"weight_hh_l{layer}"),
        getattr(rnn, f"bias_ih_l{layer}"),
        getattr(rnn, f"bias_hh_l{layer}"),
    )

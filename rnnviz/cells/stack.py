"""Layers of one of the newer recurrent cells, stacked behind ``nn.GRU``'s interface, so the language model reads
them as it reads a fused layer: ``(x (B, T, In), state) -> (out (B, T, H), state)``, batch first, the state one
tensor (L, B, ...) (L layers; (B, H) per layer for minGRU and minLSTM, (B, D, N) for the SSM), dropout between
layers. ``parallel`` picks the training path: all steps at once (each cell's blocked scan, see scan.py), or the
step-by-step loop.
"""

from __future__ import annotations

import torch
from torch import nn


class RecurrentStack(nn.Module):
    def __init__(self, layers: list[nn.Module], dropout: float = 0.0, parallel: bool = True):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.dropout = nn.Dropout(dropout)
        self.parallel = parallel

    def forward(self, x: torch.Tensor, state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, In), state (L, B, ...) or None (zeros) -> out (B, T, H), state (L, B, ...)."""
        last = []
        for index, layer in enumerate(self.layers):
            if index > 0:
                x = self.dropout(x)  # between layers only, as nn.GRU's dropout
            x, h = layer(x, None if state is None else state[index], parallel=self.parallel)  # (B, T, H)
            last.append(h)
        return x, torch.stack(last)  # (B, T, H), (L, B, ...)

    @torch.no_grad()
    def replay(self, x: torch.Tensor, state: torch.Tensor | None = None) -> list[dict[str, torch.Tensor]]:
        """Each layer's step-by-step replay (``layer.replay``): one dict of (B, T, ...) tensors per layer; a layer
        reads the one below's output ("h", or "out" for the SSM). Dropout is off, as in eval."""
        replays = []
        for index, layer in enumerate(self.layers):
            replay = layer.replay(x, None if state is None else state[index])
            replays.append(replay)
            x = replay["out"] if "out" in replay else replay["h"]  # (B, T, H)
        return replays

    def output_of(self, replays: list[dict[str, torch.Tensor]]) -> torch.Tensor:
        """The top layer's output in a replay (B, T, H): what the language model's head reads."""
        top = replays[-1]
        return top["out"] if "out" in top else top["h"]

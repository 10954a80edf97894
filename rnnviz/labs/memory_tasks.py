"""Long-memory tasks, generated on the fly from a seed: where sequence length is the dial.

- adding (Hochreiter & Schmidhuber 1997): T numbers in U[0, 1], two of them marked; predict
  their sum. Predicting the mean sum (1.0) scores MSE 1/6 = 0.167.
- order ("temporal order"): noise symbols with two marked symbols, each X or Y, at random early
  and middle positions; classify the order (XX, XY, YX, YY). Chance: 25%.
- copy (copy memory): k symbols from n, then T blanks and a delimiter, then recall the k symbols.
  Predicting blanks then uniform guesses scores k*log(n)/(T+2k) per step.
- dyck (bracket depth): a random walk of '(' and ')' that never goes below 0; classify the depth
  at the end (0..max). Baseline: always the most frequent depth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

TASKS = ("adding", "order", "copy", "dyck")


@dataclass
class TaskBatch:
    x: torch.Tensor  # (B, T, F) inputs
    y: torch.Tensor  # targets: (B,) float (adding), (B,) long (order, dyck), (B, T) long (copy)


@dataclass(frozen=True)
class TaskSpec:
    name: str
    length: int
    copy_symbols: int = 8  # n for copy
    copy_k: int = 10  # k for copy
    dyck_max_depth: int = 8

    @property
    def input_size(self) -> int:
        return {"adding": 2, "order": 6, "copy": self.copy_symbols + 2, "dyck": 2}[self.name]

    @property
    def output_size(self) -> int:
        return {"adding": 1, "order": 4, "copy": self.copy_symbols + 1, "dyck": self.dyck_max_depth + 1}[self.name]

    @property
    def per_step(self) -> bool:
        return self.name == "copy"

    def baseline(self) -> float:
        """The loss of the best input-blind guess (MSE for adding, cross-entropy otherwise)."""
        if self.name == "adding":
            return 1 / 6
        if self.name == "order":
            return math.log(4)
        if self.name == "copy":
            k = self.copy_k
            return k * math.log(self.copy_symbols) / (self.length + 2 * k)
        return float("nan")  # dyck: measured from the data (the depth distribution's entropy)

    def chance_accuracy(self) -> float | None:
        return {"order": 0.25, "copy": None, "adding": None}.get(self.name)


def make_batch(spec: TaskSpec, batch: int, generator: torch.Generator) -> TaskBatch:
    return {"adding": _adding, "order": _order, "copy": _copy, "dyck": _dyck}[spec.name](spec, batch, generator)


def _adding(spec: TaskSpec, batch: int, g: torch.Generator) -> TaskBatch:
    t = spec.length
    values = torch.rand(batch, t, generator=g)
    first = torch.randint(0, max(1, t // 2), (batch,), generator=g)
    second = torch.randint(t // 2, t, (batch,), generator=g)
    marks = torch.zeros(batch, t)
    rows = torch.arange(batch)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    y = values[rows, first] + values[rows, second]
    return TaskBatch(torch.stack([values, marks], dim=-1), y)


def _order(spec: TaskSpec, batch: int, g: torch.Generator) -> TaskBatch:
    # symbols: 0..3 noise (a, b, c, d), 4 = X, 5 = Y
    t = max(spec.length, 4)
    noise = torch.randint(0, 4, (batch, t), generator=g)
    first = torch.randint(0, max(1, t // 3), (batch,), generator=g)
    second = torch.randint(t // 3, max(t // 3 + 1, 2 * t // 3), (batch,), generator=g)
    which = torch.randint(0, 2, (batch, 2), generator=g)
    rows = torch.arange(batch)
    noise[rows, first] = 4 + which[:, 0]
    noise[rows, second] = 4 + which[:, 1]
    y = which[:, 0] * 2 + which[:, 1]  # XX=0, XY=1, YX=2, YY=3
    return TaskBatch(F.one_hot(noise, 6).float(), y)


def _copy(spec: TaskSpec, batch: int, g: torch.Generator) -> TaskBatch:
    n, k, t = spec.copy_symbols, spec.copy_k, spec.length
    blank, delimiter = n, n + 1
    symbols = torch.randint(0, n, (batch, k), generator=g)
    total = t + 2 * k
    inputs = torch.full((batch, total), blank, dtype=torch.long)
    inputs[:, :k] = symbols
    inputs[:, k + t - 1] = delimiter
    targets = torch.full((batch, total), blank, dtype=torch.long)
    targets[:, -k:] = symbols
    return TaskBatch(F.one_hot(inputs, n + 2).float(), targets)


def _dyck(spec: TaskSpec, batch: int, g: torch.Generator) -> TaskBatch:
    t, top = spec.length, spec.dyck_max_depth
    steps = torch.rand(batch, t, generator=g)
    opens = torch.zeros(batch, t, dtype=torch.long)
    depth = torch.zeros(batch, dtype=torch.long)
    for i in range(t):  # a walk that stays within 0..max depth
        go_up = (steps[:, i] < 0.5) | (depth == 0)
        go_up &= depth < top
        opens[:, i] = go_up.long()
        depth = depth + torch.where(go_up, 1, -1)
    return TaskBatch(F.one_hot(opens, 2).float(), depth)


class SequenceModel(nn.Module):
    """A fused RNN/LSTM/GRU with a linear readout (last step, or every step for copy)."""

    def __init__(self, cell: str, spec: TaskSpec, hidden: int, nonlinearity: str = "tanh"):
        super().__init__()
        self.spec = spec
        kind = {"lstm": nn.LSTM, "gru": nn.GRU}.get(cell)
        if kind is None:
            self.rnn = nn.RNN(spec.input_size, hidden, nonlinearity=nonlinearity, batch_first=True)
        else:
            self.rnn = kind(spec.input_size, hidden, batch_first=True)
        self.head = nn.Linear(hidden, spec.output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(x)  # (B, T, H)
        if self.spec.per_step:
            return self.head(out)  # (B, T, O)
        return self.head(out[:, -1])  # (B, O)


def task_loss(spec: TaskSpec, output: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, float | None]:
    """Loss and accuracy (None for the regression task)."""
    if spec.name == "adding":
        pred = output.squeeze(-1)
        return F.mse_loss(pred, y), None
    if spec.per_step:
        loss = F.cross_entropy(output.reshape(-1, output.shape[-1]), y.reshape(-1))
        k = spec.copy_k
        accuracy = float((output[:, -k:].argmax(-1) == y[:, -k:]).float().mean())
        return loss, accuracy
    return F.cross_entropy(output, y), float((output.argmax(-1) == y).float().mean())

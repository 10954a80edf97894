"""Long-memory tasks, generated on the fly from a seed: where sequence length is the dial.

- adding (Hochreiter & Schmidhuber 1997): T numbers in U[0, 1], two of them marked; predict
  their sum. Predicting the mean sum (1.0) scores MSE 1/6 = 0.167.
- order ("temporal order"): noise symbols with two marked symbols, each X or Y, at random early
  and middle positions; classify the order (XX, XY, YX, YY). Chance: 25%.
- copy (copy memory): k symbols from n, then T blanks and a delimiter, then recall the k symbols.
  Predicting blanks then uniform guesses scores k*log(n)/(T+2k) per step.
- dyck (bracket depth): a random walk of '(' and ')' that never goes below 0; classify the depth
  at the end (0..max). Baseline: always the most frequent depth.
- selective-copy (Gu & Dao 2023, "Mamba", arXiv 2312.00752, section 3.1): K data symbols from n at random
  positions among T - K noise tokens, then a delimiter, then recall the K symbols in order. Which tokens to keep
  depends on what they are, not where they stand, so a recurrence that decays at a fixed rate (or a fixed
  convolution) cannot pick them out; a gate or step size read from the token can. Predicting noise then uniform
  guesses scores K*log(n)/(T+K+1) per step.

``SequenceModel`` reads any cell of the registry (``rnnviz.cells.ALL_CELL_KINDS``): a fused layer, a newer recurrent
cell through ``cells.stack.RecurrentStack`` (``nn.GRU``'s interface), or the causal Transformer with its window
covering the whole sequence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.cells import ALL_BY_KEY, CellKind, kind_of_module
from rnnviz.cells.mingru import MinGRULayer
from rnnviz.cells.minlstm import MinLSTMLayer
from rnnviz.cells.ssm import SelectiveSSMLayer
from rnnviz.cells.stack import RecurrentStack
from rnnviz.cells.transformer import CausalTransformer

TASKS = ("adding", "order", "copy", "dyck", "selective-copy")
PER_STEP_TASKS = ("copy", "selective-copy")  # a target at every step; the recall is the last ``recall_steps``


@dataclass
class TaskBatch:
    x: torch.Tensor  # (B, T, F) inputs
    y: torch.Tensor  # targets: (B,) float (adding), (B,) long (order, dyck), (B, steps) long (the copy tasks)


@dataclass(frozen=True)
class TaskSpec:
    name: str
    length: int
    copy_symbols: int = 8  # n for copy
    copy_k: int = 10  # k for copy
    dyck_max_depth: int = 8
    selective_symbols: int = 8  # n for selective-copy: the data alphabet
    selective_k: int = 4  # K for selective-copy: data tokens among the T, at most T

    @property
    def input_size(self) -> int:
        symbols = {"copy": self.copy_symbols, "selective-copy": self.selective_symbols}
        if self.name in symbols:
            return symbols[self.name] + 2  # the symbols, a blank (noise) and the delimiter
        return {"adding": 2, "order": 6, "dyck": 2}[self.name]

    @property
    def output_size(self) -> int:
        symbols = {"copy": self.copy_symbols, "selective-copy": self.selective_symbols}
        if self.name in symbols:
            return symbols[self.name] + 1  # the symbols and the blank
        return {"adding": 1, "order": 4, "dyck": self.dyck_max_depth + 1}[self.name]

    @property
    def per_step(self) -> bool:
        return self.name in PER_STEP_TASKS

    @property
    def recall_steps(self) -> int:
        """The steps a per-step task's accuracy counts: the recall at the end (k for copy, K for selective-copy)."""
        return self.copy_k if self.name == "copy" else self.selective_k

    @property
    def steps(self) -> int:
        """How many steps an input of this task has (what a Transformer's window must cover)."""
        if self.name == "copy":
            return self.length + 2 * self.copy_k
        if self.name == "selective-copy":
            return self.length + self.selective_k + 1  # T, the delimiter, K recall steps
        if self.name == "order":
            return max(self.length, 4)
        return self.length

    def baseline(self) -> float:
        """The loss of the best input-blind guess (MSE for adding, cross-entropy otherwise)."""
        if self.name == "adding":
            return 1 / 6
        if self.name == "order":
            return math.log(4)
        if self.name == "copy":
            k = self.copy_k
            return k * math.log(self.copy_symbols) / (self.length + 2 * k)
        if self.name == "selective-copy":
            return self.selective_k * math.log(self.selective_symbols) / self.steps
        return float("nan")  # dyck: measured from the data (the depth distribution's entropy)

    def chance_accuracy(self) -> float | None:
        return {"order": 0.25, "copy": None, "adding": None}.get(self.name)


def make_batch(spec: TaskSpec, batch: int, generator: torch.Generator) -> TaskBatch:
    makers = {"adding": _adding, "order": _order, "copy": _copy, "dyck": _dyck, "selective-copy": _selective_copy}
    return makers[spec.name](spec, batch, generator)


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


def _selective_copy(spec: TaskSpec, batch: int, g: torch.Generator) -> TaskBatch:
    """K data symbols at K random positions of the first T (in their order), noise elsewhere; the delimiter at step
    T; the K symbols as targets of the last K steps (whose inputs are noise), noise as every other target."""
    n, k, t = spec.selective_symbols, spec.selective_k, spec.length
    if not 1 <= k <= t:
        raise ValueError(f"selective copy needs 1 <= K <= T, not K = {k}, T = {t}")
    noise, delimiter = n, n + 1
    symbols = torch.randint(0, n, (batch, k), generator=g)  # (B, K)
    # K distinct positions of the T, each row its own: the K smallest of T random keys, put back in order
    positions = torch.rand(batch, t, generator=g).argsort(dim=1)[:, :k].sort(dim=1).values  # (B, K)
    inputs = torch.full((batch, spec.steps), noise, dtype=torch.long)  # (B, T + 1 + K)
    inputs.scatter_(1, positions, symbols)
    inputs[:, t] = delimiter
    targets = torch.full((batch, spec.steps), noise, dtype=torch.long)  # (B, T + 1 + K)
    targets[:, -k:] = symbols
    return TaskBatch(F.one_hot(inputs, n + 2).float(), targets)  # (B, T + 1 + K, n + 2), (B, T + 1 + K)


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
    """Any cell of the registry with a linear readout (the last step, or every step for the copy tasks).

    ``cell``: a registry key (``rnn``, ``rnn-relu``, ``lstm``, ``gru``, ``mingru``, ``minlstm``, ``ssm``,
    ``transformer``); ``rnn`` with ``nonlinearity="relu"`` is the relu RNN, as before. A fused cell is its
    ``nn.RNN/LSTM/GRU``; a newer recurrent cell one layer behind ``RecurrentStack`` (trained by its parallel scan); the
    Transformer one block whose window covers the task's ``spec.steps``, so it sees the whole sequence at once."""

    def __init__(self, cell: str, spec: TaskSpec, hidden: int, nonlinearity: str = "tanh"):
        super().__init__()
        self.spec = spec
        self.kind = cell_kind(cell, nonlinearity)
        self.rnn = recurrent_layer(self.kind, spec.input_size, hidden, spec.steps)  # (B, T, F) -> (B, T, H)
        self.head = nn.Linear(hidden, spec.output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(x)  # x (B, T, F) -> out (B, T, H); the state (fused, stack) or past inputs is dropped
        if self.spec.per_step:
            return self.head(out)  # (B, T, O)
        return self.head(out[:, -1])  # (B, O)


def cell_kind(cell: str, nonlinearity: str = "tanh") -> CellKind:
    """A cell of the registry by its key; ``rnn`` takes the nonlinearity asked for (the old way to a relu RNN)."""
    if cell == "rnn":
        return kind_of_module("rnn", nonlinearity)
    if cell not in ALL_BY_KEY:
        raise ValueError(f"unknown cell {cell!r}; known: {', '.join(ALL_BY_KEY)}")
    return ALL_BY_KEY[cell]


NEWER_LAYERS = {"mingru": MinGRULayer, "minlstm": MinLSTMLayer, "ssm": SelectiveSSMLayer}


def recurrent_layer(kind: CellKind, input_size: int, hidden: int, steps: int) -> nn.Module:
    """One layer of ``kind`` behind ``nn.GRU``'s interface, batch first: ``layer(x (B, T, F)) -> (out (B, T, H),
    state)``. The Transformer's window is ``steps`` (the longest input it will read), its heads 4 (of ceil(H / 4))."""
    if kind.family == "fused":
        if kind.module == "lstm":
            return nn.LSTM(input_size, hidden, batch_first=True)
        if kind.module == "gru":
            return nn.GRU(input_size, hidden, batch_first=True)
        return nn.RNN(input_size, hidden, nonlinearity=kind.nonlinearity, batch_first=True)
    if kind.family == "attention":
        return CausalTransformer(input_size, hidden, num_layers=1, num_heads=4, context_size=max(1, steps))
    return RecurrentStack([NEWER_LAYERS[kind.module](input_size, hidden)], parallel=True)


def task_loss(spec: TaskSpec, output: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, float | None]:
    """Loss and accuracy (None for the regression task)."""
    if spec.name == "adding":
        pred = output.squeeze(-1)
        return F.mse_loss(pred, y), None
    if spec.per_step:
        loss = F.cross_entropy(output.reshape(-1, output.shape[-1]), y.reshape(-1))
        k = spec.recall_steps  # accuracy on the recall only: the blanks before it are free
        accuracy = float((output[:, -k:].argmax(-1) == y[:, -k:]).float().mean())
        return loss, accuracy
    return F.cross_entropy(output, y), float((output.argmax(-1) == y).float().mean())


def parameters_of(cell: str, spec: TaskSpec, width: int) -> int:
    """The parameters of ``cell`` ``width`` wide on the task (its embedding and head included); the model built to
    count them draws on a forked random state, so counting changes no run."""
    with torch.random.fork_rng(devices=[]):
        return sum(p.numel() for p in SequenceModel(cell, spec, width).parameters())


def width_for_budget(cell: str, spec: TaskSpec, budget: int) -> int:
    """The width of ``cell`` on the task whose parameter count comes closest to ``budget`` (counts grow with the
    width, so a bisection finds it)."""
    low, high = 1, 2048
    while high - low > 1:
        middle = (low + high) // 2
        if parameters_of(cell, spec, middle) <= budget:
            low = middle
        else:
            high = middle
    return min((low, high), key=lambda width: abs(parameters_of(cell, spec, width) - budget))

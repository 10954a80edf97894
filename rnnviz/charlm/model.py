"""One character-level language model class for every cell of the registry.

embedding -> fused ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` -> dropout -> linear head, as in
pytorch/examples' word_language_model. The recurrent layer is stored as ``rnn`` so the state
dict keeps PyTorch's own names (``rnn.weight_ih_l0``, ``rnn.weight_hh_l0``, ...).

The newer cells take the fused layer's place with its interface (``rnnviz/cells/``): a stack of minGRU, minLSTM or
selective-SSM layers (``cells.stack.RecurrentStack``), or a causal Transformer whose "state" is the window of inputs
it has seen; the same embedding, head, tokenizer and batches around them, so every cell races on equal terms.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from rnnviz.cells import ALL_BY_KEY, MODEL_CELLS, NONLINEARITIES
from rnnviz.cells.mingru import MinGRULayer
from rnnviz.cells.minlstm import MinLSTMLayer
from rnnviz.cells.ssm import SelectiveSSMLayer
from rnnviz.cells.stack import RecurrentStack
from rnnviz.cells.transformer import CausalTransformer
from rnnviz.i18n import Message

GATES_PER_CELL = {"rnn": 1, "lstm": 4, "gru": 3}
GATE_NAMES = {"rnn": ("pre",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}


class ConfigError(ValueError):
    """An impossible model or training setting; the message is meant for the user."""


@dataclass(frozen=True, kw_only=True)
class ModelConfig:
    vocab_size: int
    cell: str = "lstm"  # a fused layer (rnn, lstm, gru) or a newer cell (mingru, minlstm, ssm, transformer)
    hidden_size: int = 128  # the Transformer's width; the SSM's channels D
    num_layers: int = 1  # the Transformer's blocks
    embed_size: int = 64
    dropout: float = 0.0
    nonlinearity: str = "tanh"  # RNN only
    state_size: int = 8  # ssm only: N, the state each channel keeps
    context_size: int = 256  # transformer only: the fixed window it attends over (its learned positions)
    num_heads: int = 4  # transformer only
    # mingru, minlstm, ssm: train all steps at once (the blocked parallel scan, ``cells/scan.py``), or step by step (the
    # textbook loop, what the parallel path is measured against in ``bench scaling``)
    parallel_scan: bool = True

    def __post_init__(self):
        if self.cell not in MODEL_CELLS:
            raise ConfigError(Message("errors.config.cell", cells=", ".join(MODEL_CELLS), value=repr(self.cell)))
        if self.nonlinearity not in NONLINEARITIES:
            raise ConfigError(Message("errors.config.nonlinearity", value=repr(self.nonlinearity)))
        for name in (
            "vocab_size",
            "hidden_size",
            "num_layers",
            "embed_size",
            "state_size",
            "context_size",
            "num_heads",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(Message("errors.config.positive", name=name, value=repr(value)))
        if self.vocab_size < 2:
            raise ConfigError(Message("errors.config.vocab_two"))
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(Message("errors.config.dropout", value=repr(self.dropout)))

    @property
    def label(self) -> str:
        if self.cell not in GATES_PER_CELL:  # a newer cell: its registry label ("minGRU 1x400")
            return f"{ALL_BY_KEY[self.cell].label} {self.num_layers}x{self.hidden_size}"
        name = "RNN-relu" if (self.cell == "rnn" and self.nonlinearity == "relu") else self.cell.upper()
        return f"{name} {self.num_layers}x{self.hidden_size}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ModelConfig:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


class CharRNN(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.embed_size)
        between_layers = config.dropout if config.num_layers > 1 else 0.0
        common = dict(
            input_size=config.embed_size,
            hidden_size=config.hidden_size,
            num_layers=config.num_layers,
            dropout=between_layers,
            batch_first=True,
        )
        if config.cell not in GATES_PER_CELL:
            self.rnn = newer_cell(config)
        elif config.cell == "lstm":
            self.rnn = nn.LSTM(**common)
        elif config.cell == "gru":
            self.rnn = nn.GRU(**common)
        else:
            self.rnn = nn.RNN(nonlinearity=config.nonlinearity, **common)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, ids: torch.Tensor, state=None):
        """ids (B, T) -> logits (B, T, V), final state (h or (h, c), each (L, B, H); a newer cell's: (L, B, H) for
        minGRU and minLSTM, (L, B, D, N) for the SSM, the last inputs (B, <= context - 1, E) for the Transformer)."""
        x = self.embed(ids)  # (B, T, E)
        out, state = self.rnn(x, state)  # (B, T, H)
        if self.config.dropout > 0:
            out = self.drop(out)
        logits = self.head(out)  # (B, T, V)
        return logits, state

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def newer_cell(config: ModelConfig) -> nn.Module:
    """The module that takes the fused layer's place for a newer cell, E in and H out."""
    if config.cell == "transformer":
        return CausalTransformer(
            config.embed_size,
            config.hidden_size,
            config.num_layers,
            config.num_heads,
            config.context_size,
            config.dropout,
        )
    sizes = [(config.embed_size if layer == 0 else config.hidden_size) for layer in range(config.num_layers)]
    if config.cell == "ssm":
        layers = [SelectiveSSMLayer(size, config.hidden_size, config.state_size) for size in sizes]
    else:
        layer_class = MinGRULayer if config.cell == "mingru" else MinLSTMLayer
        layers = [layer_class(size, config.hidden_size) for size in sizes]
    between_layers = config.dropout if config.num_layers > 1 else 0.0
    return RecurrentStack(layers, between_layers, parallel=config.parallel_scan)


def detach_state(state):
    """Cut the graph between truncated-BPTT windows, keeping the values."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


def count_parameters(config: ModelConfig) -> int:
    """The parameter count of ``CharRNN(config)``, computed without building it (tests hold every cell's formula to
    its module)."""
    if config.cell not in GATES_PER_CELL:
        h, e, v = config.hidden_size, config.embed_size, config.vocab_size
        return v * e + h * v + v + _newer_cell_parameters(config)
    gates = GATES_PER_CELL[config.cell]
    h, e, v = config.hidden_size, config.embed_size, config.vocab_size
    total = v * e + h * v + v
    for layer in range(config.num_layers):
        inputs = e if layer == 0 else h
        total += gates * (h * inputs + h * h + 2 * h)
    return total


def _newer_cell_parameters(config: ModelConfig) -> int:
    """The parameters of ``newer_cell(config)``: E in, H out (the modules of ``rnnviz/cells/``)."""
    h, e, layers = config.hidden_size, config.embed_size, config.num_layers
    if config.cell == "transformer":
        inner = config.num_heads * -(-h // config.num_heads)  # heads of ceil(H / heads)
        block = 2 * h + (h * 3 * inner + 3 * inner) + (inner * h + h) + 2 * h + (h * 4 * h + 4 * h) + (4 * h * h + h)
        return (e * h + h) + config.context_size * h + layers * block + 2 * h
    total = 0
    for layer in range(layers):
        inputs = e if layer == 0 else h
        if config.cell == "ssm":
            n, rank = config.state_size, -(-h // 16)
            total += (inputs * 2 * h + 2 * h) + h * (rank + 2 * n) + (rank * h + h) + h * n + h + (h * h + h)
        else:
            width = 2 if config.cell == "mingru" else 3  # [z | h~], or [f | i | h~]
            total += width * (inputs * h + h)
    return total


def training_step_flops(config: ModelConfig, batch_size: int, seq_len: int) -> int:
    """About how many floating-point operations one training step costs (forward 2, backward 4 per weight use).

    Every weight but the embedding table is used once per token; the embedding is a lookup. Used to cap
    what one session may ask of a shared server (``LIMITS.max_step_gflop``), not to predict exact times. The
    Transformer's position table is a lookup too, and each token attends over the window (QK^T and AV); the SSM
    updates D x N states per token.
    """
    used_per_token = count_parameters(config) - config.vocab_size * config.embed_size
    extra_per_token = 0
    if config.cell == "transformer":
        used_per_token -= config.context_size * config.hidden_size
        heads = config.num_heads
        inner = heads * -(-config.hidden_size // heads)
        extra_per_token = 2 * min(seq_len, config.context_size) * inner * config.num_layers
    elif config.cell == "ssm":
        extra_per_token = 4 * config.hidden_size * config.state_size * config.num_layers
    return 6 * (used_per_token + extra_per_token) * batch_size * seq_len


def hidden_size_for_budget(config: ModelConfig, target_parameters: int) -> int:
    """The hidden size that brings ``config``'s cell closest to ``target_parameters``.

    Used to compare RNN, LSTM and GRU at the same parameter budget, which is the only fair
    comparison: an LSTM of the same width has four times the recurrent weights of an RNN.
    """
    best_h, best_gap = 1, None
    low, high = 1, 8192
    while low <= high:  # count_parameters grows with h: binary search, then check neighbours
        mid = (low + high) // 2
        if count_parameters(_with_hidden(config, mid)) < target_parameters:
            low = mid + 1
        else:
            high = mid - 1
    for h in (low - 1, low, low + 1):
        if h < 1:
            continue
        gap = abs(count_parameters(_with_hidden(config, h)) - target_parameters)
        if best_gap is None or gap < best_gap:
            best_h, best_gap = h, gap
    return best_h


def _with_hidden(config: ModelConfig, hidden: int) -> ModelConfig:
    data = config.to_dict()
    data["hidden_size"] = hidden
    return ModelConfig(**data)

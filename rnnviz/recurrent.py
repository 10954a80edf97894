"""The recurrent layer the sentence models build on (the tagger, the classifier): PyTorch's fused nn.RNN, nn.LSTM or
nn.GRU for a cell of the registry, read over packed sequences so that padding never reaches a state."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnviz.cells import BY_KEY
from rnnviz.i18n import Message

LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def size_problem(cell: str, num_layers: int, hidden_size: int, embed_size: int, dropout: float) -> str | None:
    """What is impossible about a sentence model's recurrent settings, for its config to raise; None if nothing."""
    if cell not in BY_KEY:
        return Message("errors.config.recurrent_cell", cells=", ".join(BY_KEY))
    if num_layers not in (1, 2):
        return Message("errors.config.recurrent_layers")
    if not 4 <= hidden_size <= 1024 or not 4 <= embed_size <= 512:
        return Message("errors.config.recurrent_sizes")
    if not 0.0 <= dropout < 1.0:
        return Message("errors.config.recurrent_dropout")
    return None


def recurrent_layer(
    cell: str, input_size: int, hidden_size: int, num_layers: int, bidirectional: bool, dropout: float
) -> nn.RNNBase:
    """The fused layer of a registry cell ("rnn-relu" is nn.RNN with relu); dropout between layers only."""
    kind = BY_KEY[cell]
    extra = {"nonlinearity": kind.nonlinearity} if kind.module == "rnn" else {}
    between = dropout if num_layers > 1 else 0.0
    return LAYERS[kind.module](
        input_size,
        hidden_size,
        num_layers=num_layers,
        batch_first=True,
        bidirectional=bidirectional,
        dropout=between,
        **extra,
    )


def read_packed(layer: nn.RNNBase, embedded: torch.Tensor, lengths: torch.Tensor):
    """Embedded tokens (B, T, E) and lengths (B,) -> the last layer's states (B, T, D*H), zeros past each sentence's
    end, and the layer's final state (h_n, or (h_n, c_n) for an LSTM), each sentence's own."""
    packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
    out, final = layer(packed)
    states, _ = pad_packed_sequence(out, batch_first=True, total_length=embedded.shape[1])
    return states, final


def model_label(cell: str, bidirectional: bool) -> str:
    """ "BiLSTM", "GRU", "RNN (relu)": the name a page shows for a cell read one or both ways."""
    return ("Bi" if bidirectional else "") + BY_KEY[cell].label.replace("RNN (tanh)", "RNN")

"""The recurrent layer the sentence models build on (the tagger, the classifier): PyTorch's fused nn.RNN, nn.LSTM or
nn.GRU for a cell of the registry, read so that padding never reaches a state.

Packed sequences would do that, but on a CPU PyTorch trains a packed layer through its slow path: a BiLSTM's
forward and backward over a padded batch of 64 sentences of about 80 characters took 0.26 s packed and 0.04 s padded
(one thread, H = 64), so packing was most of a tagging step. ``read_sentences`` gets the same states from the fast
path instead, one direction of one layer at a time: padding sits after each sentence's end, so a left-to-right
reading never reaches it before the sentence is done, and the right-to-left reading is the left-to-right reading of
each sentence reversed within its own length (``reverse_within``), reversed back. Equal to the packed reading to
float rounding (``tests/test_recurrent.py``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

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


FUSED_CALLS = {"LSTM": torch.lstm, "GRU": torch.gru, "RNN_TANH": torch.rnn_tanh, "RNN_RELU": torch.rnn_relu}


def reverse_within(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Each row's first ``length`` steps in reverse order, the padding after them left where it is: (B, T, F) ->
    (B, T, F). Its own inverse."""
    steps = torch.arange(x.shape[1], device=x.device)[None, :]  # (1, T)
    ends = lengths.to(x.device)[:, None]  # (B, 1)
    order = torch.where(steps < ends, ends - 1 - steps, steps)  # (B, T)
    return x.gather(1, order[..., None].expand_as(x))


def _one_direction(layer: nn.RNNBase, index: int, suffix: str, x: torch.Tensor) -> torch.Tensor:
    """Layer ``index``'s direction ("" or "_reverse") read left to right over x (B, T, In) -> (B, T, H), from zeros,
    through PyTorch's fused call with that direction's own weights."""
    names = [f"weight_ih_l{index}{suffix}", f"weight_hh_l{index}{suffix}"]
    if layer.bias:
        names += [f"bias_ih_l{index}{suffix}", f"bias_hh_l{index}{suffix}"]
    weights = [getattr(layer, name) for name in names]
    h0 = x.new_zeros(1, x.shape[0], layer.hidden_size)  # (1, B, H)
    hx = (h0, h0) if layer.mode == "LSTM" else h0
    call = FUSED_CALLS[layer.mode]
    return call(x, hx, weights, layer.bias, 1, 0.0, layer.training, False, True)[0]  # (B, T, H)


def read_sentences(
    layer: nn.RNNBase, embedded: torch.Tensor, lengths: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Embedded tokens (B, T, E) and lengths (B,) -> the last layer's states (B, T, D*H), zeros past each sentence's
    end, and every layer's and direction's final state h_n (L*D, B, H) as nn.RNN orders it: each sentence's own
    (the forward reading after its last token, the backward one after its first)."""
    lengths = lengths.to(embedded.device)
    last = (lengths - 1)[:, None, None]  # (B, 1, 1): each sentence's last step
    x, finals = embedded, []
    for index in range(layer.num_layers):
        forward = _one_direction(layer, index, "", x)  # (B, T, H)
        parts = [forward]
        finals.append(forward.gather(1, last.expand(-1, 1, forward.shape[2])).squeeze(1))  # (B, H)
        if layer.bidirectional:
            backward = reverse_within(_one_direction(layer, index, "_reverse", reverse_within(x, lengths)), lengths)
            parts.append(backward)  # (B, T, H): step t has read the sentence from its end back to t
            finals.append(backward[:, 0])  # (B, H)
        x = torch.cat(parts, dim=-1)  # (B, T, D*H)
        if index < layer.num_layers - 1:
            x = F.dropout(x, layer.dropout, layer.training)  # between layers, as nn.RNN does
    inside = torch.arange(x.shape[1], device=x.device)[None, :] < lengths[:, None]  # (B, T)
    return x * inside[..., None], torch.stack(finals)  # (B, T, D*H), (L*D, B, H)


def model_label(cell: str, bidirectional: bool) -> str:
    """ "BiLSTM", "GRU", "RNN (relu)": the name a page shows for a cell read one or both ways."""
    return ("Bi" if bidirectional else "") + BY_KEY[cell].label.replace("RNN (tanh)", "RNN")

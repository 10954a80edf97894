"""The sentence models' recurrent reading gives each sentence of a padded batch exactly what the packed reading
gives, in every cell, direction and depth, forward and backward (its gradients too)."""

import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnviz.recurrent import read_sentences, recurrent_layer, reverse_within


def packed_reading(layer, embedded, lengths):
    packed = pack_padded_sequence(embedded, lengths, batch_first=True, enforce_sorted=False)
    out, final = layer(packed)
    states, _ = pad_packed_sequence(out, batch_first=True, total_length=embedded.shape[1])
    return states, final[0] if isinstance(final, tuple) else final


def test_reverse_within_reverses_each_row_inside_its_length_and_is_its_own_inverse():
    x = torch.arange(8.0).reshape(2, 4, 1)
    flipped = reverse_within(x, torch.tensor([4, 2]))
    assert flipped[..., 0].tolist() == [[3.0, 2.0, 1.0, 0.0], [5.0, 4.0, 6.0, 7.0]]
    assert torch.equal(reverse_within(flipped, torch.tensor([4, 2])), x)


@pytest.mark.parametrize("cell", ["rnn", "rnn-relu", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_read_sentences_equals_the_packed_reading(cell, bidirectional, num_layers):
    torch.manual_seed(0)
    layer = recurrent_layer(cell, 5, 6, num_layers, bidirectional, dropout=0.0)
    lengths = torch.tensor([3, 7, 1, 5])
    embedded = torch.randn(4, 7, 5, requires_grad=True)  # (B, T, E)
    states, h_n = read_sentences(layer, embedded, lengths)
    expected_states, expected_h_n = packed_reading(layer, embedded, lengths)
    assert states.shape == expected_states.shape and h_n.shape == expected_h_n.shape
    assert float((states - expected_states).detach().abs().max()) < 1e-6
    assert float((h_n - expected_h_n).detach().abs().max()) < 1e-6
    weights = torch.randn_like(states)
    grads = torch.autograd.grad((states * weights).sum() + h_n.sum(), [embedded, *layer.parameters()])
    expected = torch.autograd.grad(
        (expected_states * weights).sum() + expected_h_n.sum(), [embedded, *layer.parameters()]
    )
    assert max(float((a - b).abs().max()) for a, b in zip(grads, expected)) < 1e-5
    assert float(states[0, 3:].detach().abs().max()) == 0.0  # nothing past a sentence's end

"""Both evaluation methods, held to hand computations."""

import pytest
import torch.nn.functional as F
from helpers import tiny_model

from rnnviz.charlm.evaluation import evaluate_loss, evaluate_loss_zero_state


def _window_loss(model, ids) -> float:
    logits, _ = model(ids[:-1][None], None)
    return float(F.cross_entropy(logits[0], ids[1:], reduction="sum").detach())


def test_zero_state_windows_each_start_from_nothing(tiny_data):
    model = tiny_model(tiny_data.vocab.size, "lstm").eval()
    ids = tiny_data.val_ids[:161]  # 160 targets: five windows of 32
    expected = sum(_window_loss(model, ids[i * 32 : i * 32 + 33]) for i in range(5)) / 160
    assert evaluate_loss_zero_state(model, ids, window=32, batch_size=2) == pytest.approx(expected, rel=1e-5)


def test_one_window_is_the_same_both_ways(tiny_data):
    model = tiny_model(tiny_data.vocab.size, "gru").eval()
    ids = tiny_data.val_ids[:129]
    one_stream = evaluate_loss(model, ids, window=128, streams=1)
    assert evaluate_loss_zero_state(model, ids, window=128) == pytest.approx(one_stream, rel=1e-5)
    with pytest.raises(ValueError, match="at least 257"):
        evaluate_loss_zero_state(model, ids, window=256)

"""The counting baselines: the array path gives the loop's numbers, and the loop's numbers are the formula's."""

import math
import random

import pytest

from rnnviz.charlm.baselines import DISCOUNT, _losses_by_counting_arrays, _NGramModel, compute_baselines


def loop_losses(train, val, vocab_size, max_order=6):
    model = _NGramModel(train, max_order, vocab_size)
    return {order: model.loss(train, val, order) for order in range(1, max_order + 1)}


def test_a_unigram_by_hand():
    # "aab": P(a) = (2 - d) / 3 + d * 2 / 3 * (1 / V): two tokens seen, a's count discounted, the rest uniform
    expected = -math.log((2 - DISCOUNT) / 3 + DISCOUNT * 2 / 3 * (1 / 3))
    assert loop_losses("aab", "a", 3, max_order=1)[1] == pytest.approx(expected, abs=1e-15)
    assert _losses_by_counting_arrays("aab", "a", 3, 1)[1] == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_array_path_gives_every_orders_loss_of_the_loop(seed):
    rng = random.Random(seed)
    words = ["def ", "return ", "self", ".x", " = ", "(", ")", ":\n", "    ", "if ", "for ", "in "]
    text = "".join(rng.choice(words) for _ in range(3000))
    train, val = text[:15000], text[15000:] + "é~"  # two tokens the training text never shows
    fast = _losses_by_counting_arrays(train, val, 40, 6)
    assert fast is not None
    slow = loop_losses(train, val, 40)
    assert fast.keys() == slow.keys()
    for order in slow:
        assert fast[order] == pytest.approx(slow[order], rel=1e-12), order
    as_ids = _losses_by_counting_arrays(tuple(map(ord, train)), tuple(map(ord, val)), 40, 6)
    assert as_ids == fast  # the same tokens, as ids: the same numbers


def test_tokens_too_many_for_int64_keys_go_through_the_loop():
    rng = random.Random(2)
    train = tuple(rng.randrange(2000) for _ in range(3000))  # 2,000^6 does not fit in an int64
    val = tuple(rng.randrange(2000) for _ in range(300))
    assert _losses_by_counting_arrays(train, val, 2000, 6) is None
    baselines = compute_baselines(train, val, 2000)
    assert baselines.by_order == loop_losses(train, val, 2000)


def test_an_order_below_the_bigram_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="at least 2"):
        compute_baselines("abcabc", "abc", 3, max_order=1)
    assert compute_baselines("abcabc", "abc", 3, max_order=2).best_n == 2

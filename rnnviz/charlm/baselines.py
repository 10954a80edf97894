"""Counting baselines for the loss chart: what a model must beat to have learned more than counting.

All are fitted on the training split and scored on the validation split, in nats per token (a character, or a
word-token id: the same code counts strings and tuples of ids):
uniform (ln V), unigram, bigram, and the best interpolated n-gram (absolute discounting,
d = 0.75, orders 2-6, the best order on validation reported with its n).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

DISCOUNT = 0.75


@dataclass(frozen=True)
class Baselines:
    uniform: float
    unigram: float
    bigram: float
    best_ngram: float
    best_n: int
    by_order: dict[int, float] = field(default_factory=dict)  # every order's loss, 1..max_order

    def as_lines(self) -> dict[str, float]:
        return {
            "uniform": self.uniform,
            "unigram": self.unigram,
            "bigram": self.bigram,
            f"{self.best_n}-gram": self.best_ngram,
        }


Sequence = str | tuple[int, ...]


class _NGramModel:
    """Interpolated absolute-discounting n-gram model over a sequence of tokens (a string's characters, or ids)."""

    def __init__(self, text: Sequence, order: int, vocab_size: int):
        self.order = order
        self.vocab_size = vocab_size
        self.grams: list[Counter] = []  # [n]: counts of (n+1)-grams: context of n chars + next char
        self.totals: list[Counter] = []  # [n]: how often each context of n chars is followed by anything
        self.types: list[Counter] = []  # [n]: how many distinct chars follow each context
        for n in range(order):
            grams = Counter(text[i - n : i + 1] for i in range(n, len(text)))
            totals, types = Counter(), Counter()
            for gram, count in grams.items():
                totals[gram[:-1]] += count
                types[gram[:-1]] += 1
            self.grams.append(grams)
            self.totals.append(totals)
            self.types.append(types)

    def prob(self, history: Sequence, char: Sequence, order: int) -> float:
        """P(char | history); ``char`` is a one-token slice of the sequence (a character, or a 1-tuple)."""
        p = 1.0 / self.vocab_size
        for n in range(min(order, len(history) + 1)):
            context = history[len(history) - n :]
            total = self.totals[n].get(context)
            if not total:
                break  # a longer context that was never seen has no longer extension either
            count = self.grams[n].get(context + char, 0)
            p = max(count - DISCOUNT, 0) / total + DISCOUNT * self.types[n][context] / total * p
        return p

    def loss(self, train_tail: Sequence, text: Sequence, order: int) -> float:
        """Validation loss using the model's tables up to ``order`` (n-gram of that order)."""
        history_len = order - 1
        stream = train_tail[-history_len:] + text if history_len else text
        offset = len(stream) - len(text)
        total = 0.0
        for i in range(offset, len(stream)):
            total -= math.log(self.prob(stream[max(0, i - history_len) : i], stream[i : i + 1], order))
        return total / len(text)


def _dense_ids(train_text: Sequence, val_text: Sequence) -> tuple[np.ndarray, np.ndarray, int]:
    """Both texts as ids 0..K-1 of the K distinct tokens they hold (int64), and K."""
    both = np.array(list(train_text) + list(val_text))  # (N_train + N_val,): characters ('<U1') or ids
    distinct, ids = np.unique(both, return_inverse=True)
    ids = ids.reshape(-1).astype(np.int64)
    return ids[: len(train_text)], ids[len(train_text) :], len(distinct)


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """values[keys == query] for each query (``keys`` sorted), 0 where a query is not among the keys."""
    at = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    return np.where(keys[at] == queries, values[at], 0)


def _losses_by_counting_arrays(train_text: Sequence, val_text: Sequence, vocab_size: int, max_order: int):
    """Every order's validation loss of ``_NGramModel``, the same arithmetic on whole arrays: each n-gram of the K
    distinct tokens is one int64 (its tokens as digits in base K), its counts from ``np.unique``, and each order's
    probabilities from the one below for every position at once. An unseen context (count 0) leaves p as it is, as
    the loop's ``break`` does: a context never seen has no longer extension seen either. None where the keys would
    not fit in an int64 (K^max_order >= 2^62, as for word tokens) or the training text is shorter than an order's
    history: then the loop above answers."""
    train, val, k = _dense_ids(train_text, val_text)
    if k**max_order >= 2**62 or len(train) < max_order or not len(val):
        return None
    history = max_order - 1
    stream = np.concatenate([train[-history:], val]) if history else val  # (history + N_val,)
    at = np.arange(history, len(stream))  # (N_val,): where each validation token sits in the stream
    p = np.full(len(val), 1.0 / vocab_size)  # (N_val,): P(token | history) at the order reached so far
    grams = train.copy()  # (N_train - n,): the (n+1)-grams of the training text, as keys
    context = np.zeros(len(val), dtype=np.int64)  # (N_val,): each validation token's last n tokens, as a key
    losses = {}
    for n in range(max_order):
        if n:
            grams = grams[:-1] * k + train[n:]
            context = context + stream[at - n] * k ** (n - 1)
        keys, counts = np.unique(grams, return_counts=True)  # sorted, so each context's grams sit together
        contexts, first = np.unique(keys // k, return_index=True)
        totals = np.add.reduceat(counts, first)  # how often each context is followed by anything
        types = np.diff(np.append(first, len(keys)))  # how many distinct tokens follow it
        total = _lookup(contexts, totals, context).astype(np.float64)
        count = _lookup(keys, counts, context * k + stream[at]).astype(np.float64)
        seen = total > 0
        safe = np.where(seen, total, 1.0)
        kind = _lookup(contexts, types, context).astype(np.float64)
        p = np.where(seen, np.maximum(count - DISCOUNT, 0) / safe + DISCOUNT * kind / safe * p, p)
        losses[n + 1] = float(-np.log(p).sum() / len(val))
    return losses


def compute_baselines(train_text: Sequence, val_text: Sequence, vocab_size: int, max_order: int = 6) -> Baselines:
    """Fit on ``train_text``, score ``val_text`` (tokens unseen in training get the uniform share). Through arrays
    where the n-grams fit in int64 keys (any character corpus: a Train page's first run waits for these), else
    through ``_NGramModel``'s loop; the two agree to rounding (``tests/charlm/test_baselines.py``)."""
    if max_order < 2:  # a bigram line is always drawn, and the best n-gram is chosen from orders 2 and up
        raise ValueError(f"max_order must be at least 2 (the baselines include a bigram), not {max_order}")
    losses = _losses_by_counting_arrays(train_text, val_text, vocab_size, max_order)
    if losses is None:
        model = _NGramModel(train_text, max_order, vocab_size)
        losses = {order: model.loss(train_text, val_text, order) for order in range(1, max_order + 1)}
    best_n = min(range(2, max_order + 1), key=losses.get)
    return Baselines(math.log(vocab_size), losses[1], losses[2], losses[best_n], best_n, losses)

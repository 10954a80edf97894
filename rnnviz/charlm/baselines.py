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


def compute_baselines(train_text: Sequence, val_text: Sequence, vocab_size: int, max_order: int = 6) -> Baselines:
    """Fit on ``train_text``, score ``val_text`` (tokens unseen in training get the uniform share)."""
    model = _NGramModel(train_text, max_order, vocab_size)
    losses = {order: model.loss(train_text, val_text, order) for order in range(1, max_order + 1)}
    best_n = min(range(2, max_order + 1), key=losses.get)
    return Baselines(math.log(vocab_size), losses[1], losses[2], losses[best_n], best_n, losses)

"""Entity-level precision, recall and F1 (seqeval, the CoNLL way: an entity counts only when its type and both
ends match), token accuracy, and the baseline every tagger must beat: each character's most frequent tag.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

from rnnviz.tagging.bio import ENTITY_TYPES, is_valid


def entity_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    """{"overall": {...}, "PER": {...}, ...}, each with precision, recall, f1, support; plus token accuracy and
    the share of predicted sentences that break the BIO rule.

    The entities are seqeval's (``get_entities``, as its ``classification_report`` reads them by default), read once
    each side; the counts and the formulas are its report's, with ``zero_division=0``
    (``tests/tagging/test_model_and_metrics.py`` holds the two equal). Its report reads every sequence again for
    each entity type and the average, five times the work, which a live Tag page paid at every evaluation."""
    from seqeval.metrics.sequence_labeling import get_entities  # it imports scikit-learn: paid where a score is

    true_spans, predicted_spans = set(get_entities(gold)), set(get_entities(predicted))
    scores: dict = {}
    totals = [0, 0, 0]  # right, predicted, true
    kinds = {kind for kind, _, _ in true_spans | predicted_spans}
    for kind in sorted(kinds | set(ENTITY_TYPES)):
        true = {span for span in true_spans if span[0] == kind}
        found = {span for span in predicted_spans if span[0] == kind}
        counts = (len(true & found), len(found), len(true))
        totals = [total + count for total, count in zip(totals, counts)]
        if kind in ENTITY_TYPES:
            scores[kind] = _row(*counts)
    scores["overall"] = _row(*totals)
    tokens = sum(len(g) for g in gold)
    correct = sum(a == b for g, p in zip(gold, predicted) for a, b in zip(g, p))
    scores["token_accuracy"] = correct / tokens if tokens else 0.0
    scores["invalid_sentences"] = sum(not is_valid(p) for p in predicted) / max(1, len(predicted))
    return scores


def _row(right: int, predicted: int, true: int) -> dict:
    """Precision, recall and F1 as seqeval computes them (an empty denominator gives 0)."""
    precision = right / predicted if predicted else 0.0
    recall = right / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": true}


class MostFrequentTag:
    """Each character's most frequent tag in training (``O`` for a character never seen): how far memorising
    characters alone gets, with no context at all."""

    def __init__(self, sentences):
        # every (character, tag) pair counted in one pass in C; first seen first, so among a character's tags of
        # equal count the first seen wins, as Counter.most_common(1) of that character's own tags would choose
        pairs = Counter(chain.from_iterable(zip(sentence.text, sentence.tags) for sentence in sentences))
        best: dict[str, tuple[str, int]] = {}
        for (char, tag), count in pairs.items():
            if count > best.get(char, ("", 0))[1]:
                best[char] = (tag, count)
        self.best = {char: tag for char, (tag, _) in best.items()}

    def tag(self, text: str) -> list[str]:
        return [self.best.get(char, "O") for char in text]

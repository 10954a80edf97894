"""Entity-level precision, recall and F1 (seqeval, the CoNLL way: an entity counts only when its type and both
ends match), token accuracy, and the baseline every tagger must beat: each character's most frequent tag.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from seqeval.metrics import classification_report

from rnnviz.tagging.bio import ENTITY_TYPES, is_valid


def entity_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    """{"overall": {...}, "PER": {...}, ...}, each with precision, recall, f1, support; plus token accuracy and
    the share of predicted sentences that break the BIO rule."""
    report = classification_report(gold, predicted, output_dict=True, zero_division=0)
    scores: dict = {}
    for kind in ENTITY_TYPES:
        row = report.get(kind, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
        scores[kind] = _row(row)
    scores["overall"] = _row(report["micro avg"])
    tokens = sum(len(g) for g in gold)
    correct = sum(a == b for g, p in zip(gold, predicted) for a, b in zip(g, p))
    scores["token_accuracy"] = correct / tokens if tokens else 0.0
    scores["invalid_sentences"] = sum(not is_valid(p) for p in predicted) / max(1, len(predicted))
    return scores


def _row(row: dict) -> dict:
    return {
        "precision": float(row["precision"]),
        "recall": float(row["recall"]),
        "f1": float(row["f1-score"]),
        "support": int(row["support"]),
    }


class MostFrequentTag:
    """Each character's most frequent tag in training (``O`` for a character never seen): how far memorising
    characters alone gets, with no context at all."""

    def __init__(self, sentences):
        counts: dict[str, Counter] = defaultdict(Counter)
        for sentence in sentences:
            for char, tag in zip(sentence.text, sentence.tags):
                counts[char][tag] += 1
        self.best = {char: tags.most_common(1)[0][0] for char, tags in counts.items()}

    def tag(self, text: str) -> list[str]:
        return [self.best.get(char, "O") for char in text]

"""The baselines every classifier is drawn against, on the same split and the same tokens: always the majority
class, and a bag-of-words logistic regression (scikit-learn), which ignores word order entirely."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, OrderedDict

import numpy as np

from rnnviz.classify.data import Split
from rnnviz.tokens import Tokenizer


def majority_class(labels) -> int:
    """The most frequent label (the lowest class index on a tie)."""
    counts = Counter(labels)
    return max(sorted(counts), key=counts.__getitem__)


def majority_accuracy(split: Split, held_out: str = "validation") -> float:
    """Accuracy on a held-out split of always answering the training split's most frequent class."""
    majority = majority_class(split.train.labels)
    labels = getattr(split, held_out).labels
    return sum(label == majority for label in labels) / len(labels)


_FITTED_KEPT = 4  # fitted bags of words a process keeps: the shipped set in its ways of splitting, and an upload
_FITTED: OrderedDict[tuple, BagOfWords] = OrderedDict()
_FITTED_LOCK = threading.Lock()


class BagOfWords:
    """Logistic regression on token counts (unigrams and bigrams), fitted on the training split."""

    def __init__(self, split: Split, tokenizer: Tokenizer, c: float = 1.0):
        # scikit-learn is imported here, where a baseline is fitted: its import takes a second or more, and every
        # page that lists the lessons imports this module (the Classify lab's experiments are among them)
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = CountVectorizer(
            tokenizer=tokenizer.split, lowercase=False, token_pattern=None, ngram_range=(1, 2), min_df=1
        )
        features = self.vectorizer.fit_transform(split.train.texts)
        self.model = LogisticRegression(C=c, max_iter=2000).fit(features, np.array(split.train.labels))

    @classmethod
    def fitted(cls, split: Split, tokenizer: Tokenizer, c: float = 1.0) -> BagOfWords:
        """The bag of words of ``split``'s training texts, fitted once a process for each training set and way of
        splitting words (the fit is seconds of L-BFGS on the shipped sentiment set, which every Classify run, the
        sentiment lesson's race and its negation step would otherwise pay again). A fitted model is only read
        (``accuracy``, ``probabilities``), so the sessions of a server share it."""
        digest = hashlib.sha256()
        for text, label in zip(split.train.texts, split.train.labels):
            digest.update(f"{label}\x00{text}\x01".encode())
        words = tokenizer.config
        key = (digest.hexdigest(), words.kind, words.lowercase, words.newlines, c)
        with _FITTED_LOCK:
            if key in _FITTED:
                _FITTED.move_to_end(key)
                return _FITTED[key]
        bag = cls(split, tokenizer, c)
        with _FITTED_LOCK:
            _FITTED[key] = bag
            while len(_FITTED) > _FITTED_KEPT:
                _FITTED.popitem(last=False)
        return bag

    def accuracy(self, texts, labels) -> float:
        predicted = self.model.predict(self.vectorizer.transform(texts))
        return float((predicted == np.array(labels)).mean())

    def probabilities(self, texts) -> np.ndarray:
        return self.model.predict_proba(self.vectorizer.transform(texts))

"""The corpus as the tagger reads it: the vocabulary of the training split, every split encoded, padded batches."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import torch

from rnnviz.tagging.bio import TAG_INDEX
from rnnviz.tagging.corpus import TaggedSentence, load_peoples_daily
from rnnviz.tagging.metrics import MostFrequentTag
from rnnviz.tagging.model import pad_sentences
from rnnviz.tagging.vocab import CharVocab


@dataclass
class EncodedSplit:
    sentences: list[TaggedSentence]
    chars: list[list[int]]
    tags: list[list[int]]

    def batch(self, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(B, T) characters, (B, T) tags, (B,) lengths."""
        return pad_sentences([self.chars[i] for i in indices], [self.tags[i] for i in indices])

    def gold(self, indices: list[int]) -> list[list[str]]:
        return [list(self.sentences[i].tags) for i in indices]


@dataclass
class TaggingData:
    vocab: CharVocab
    splits: dict[str, EncodedSplit]

    @cached_property
    def baseline(self) -> MostFrequentTag:
        """The training split's most frequent tag per character, counted once for these data: every Tag lab of a
        process reads the same People's Daily, and each counted it again."""
        return MostFrequentTag(self.splits["train"].sentences)


def encode_split(vocab: CharVocab, sentences: list[TaggedSentence]) -> EncodedSplit:
    return EncodedSplit(
        sentences, vocab.encode_many([s.text for s in sentences]), [[TAG_INDEX[t] for t in s.tags] for s in sentences]
    )


def build_data(splits: dict[str, list[TaggedSentence]]) -> TaggingData:
    vocab = CharVocab.from_texts(s.text for s in splits["train"])
    return TaggingData(vocab, {name: encode_split(vocab, sentences) for name, sentences in splits.items()})


@lru_cache(maxsize=1)
def peoples_daily_data() -> TaggingData:
    """People's Daily, encoded once a process (the vocabulary is the same on every machine: counts, then order)."""
    return build_data(load_peoples_daily())

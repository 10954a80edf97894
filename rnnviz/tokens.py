"""A tokenizer of words or characters with a capped vocabulary, ``<pad>`` and ``<unk>`` (the Classify lab's; the
language models and the tagger still keep character vocabularies of their own).

Words are lowercased regex tokens: runs of letters and digits (with an apostrophe inside, so "isn't" and "he's" stay
whole) and single punctuation marks. The vocabulary keeps the ``num_words`` most frequent tokens seen at least
``min_count`` times, ids 0 and 1 being ``<pad>`` and ``<unk>``: Keras' ``Tokenizer(num_words, oov_token)`` in spirit.
A batch is padded to its longest sentence and truncated to ``max_len``; the models read packed sequences, so the
padding never reaches a state.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import torch

PAD, UNK = 0, 1
SPECIALS = ("<pad>", "<unk>")
KINDS = ("words", "chars")
WORD_PATTERN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]|_", re.UNICODE)


@dataclass(frozen=True, kw_only=True)
class TokenizerConfig:
    kind: str = "words"
    num_words: int = 10_000  # the vocabulary's cap, <pad> and <unk> included
    min_count: int = 1
    lowercase: bool = True

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"tokens must be one of {', '.join(KINDS)}")
        if not 3 <= self.num_words <= 100_000:
            raise ValueError("the vocabulary holds 3..100,000 tokens")
        if self.min_count < 1:
            raise ValueError("min_count must be at least 1")


class Tokenizer:
    def __init__(self, config: TokenizerConfig, tokens: Iterable[str]):
        self.config = config
        self.itos = [*SPECIALS, *tokens]
        self.stoi = {token: index for index, token in enumerate(self.itos)}

    @classmethod
    def fit(cls, texts: Iterable[str], config: TokenizerConfig | None = None) -> Tokenizer:
        """The vocabulary of ``texts`` (most frequent first, ties in first-seen order)."""
        config = config or TokenizerConfig()
        probe = cls(config, [])
        counts = Counter(token for text in texts for token in probe.split(text))
        kept = [t for t, n in counts.most_common(config.num_words - len(SPECIALS)) if n >= config.min_count]
        return cls(config, kept)

    @property
    def size(self) -> int:
        return len(self.itos)

    def split(self, text: str) -> list[str]:
        if self.config.lowercase:
            text = text.lower()
        return WORD_PATTERN.findall(text) if self.config.kind == "words" else list(text)

    def encode(self, text: str) -> list[int]:
        return [self.stoi.get(token, UNK) for token in self.split(text)]

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.itos[i] if 0 <= i < len(self.itos) else SPECIALS[UNK] for i in ids]

    def unknown(self, text: str) -> list[str]:
        """The tokens of ``text`` read as ``<unk>``, each once, in order."""
        return list(dict.fromkeys(t for t in self.split(text) if t not in self.stoi))

    def batch(self, texts: list[str], max_len: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(B, T) ids padded with ``<pad>`` and (B,) lengths, each text cut to its first ``max_len`` tokens; an
        empty text becomes one ``<unk>`` so every length is at least 1 (a packed sequence needs that)."""
        encoded = [self.encode(text)[:max_len] or [UNK] for text in texts]
        lengths = torch.tensor([len(ids) for ids in encoded])
        ids = torch.full((len(encoded), int(lengths.max()) if encoded else 0), PAD, dtype=torch.long)
        for row, tokens in enumerate(encoded):
            ids[row, : len(tokens)] = torch.tensor(tokens, dtype=torch.long)
        return ids, lengths

    def to_dict(self) -> dict:
        return {"config": asdict(self.config), "tokens": self.itos[len(SPECIALS) :]}

    @classmethod
    def from_dict(cls, data: dict) -> Tokenizer:
        return cls(TokenizerConfig(**data["config"]), data["tokens"])

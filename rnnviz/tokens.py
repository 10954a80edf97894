"""A tokenizer of words or characters with a capped vocabulary, ``<pad>`` and ``<unk>``: the Classify lab's, and the
language models' word tokens (``--tokens words``); the tagger keeps a character vocabulary of its own.

Words are lowercased regex tokens: runs of letters and digits (with an apostrophe inside, so "isn't" and "he's" stay
whole) and single punctuation marks; with ``newlines`` (the language models: a line break is a choice a model of
verse or prose makes) each line break is a token too. ``spaced`` puts word tokens back into readable text.
The vocabulary keeps the ``num_words`` most frequent tokens seen at least ``min_count`` times, ids 0 and 1 being
``<pad>`` and ``<unk>``: Keras' ``Tokenizer(num_words, oov_token)`` in spirit. A batch is padded to its longest
sentence and truncated to ``max_len``; the models read packed sequences, so the padding never reaches a state.
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
# A CJK ideograph is a token of its own (Chinese is written without spaces: as BERT's tokenizer does); other runs of
# letters and digits, with an apostrophe inside, are words; any other visible character is a token.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = rf"[^\W_{_CJK}]+(?:'[^\W_{_CJK}]+)*"
WORD_PATTERN = re.compile(rf"[{_CJK}]|{_WORD}|[^\w\s]|_", re.UNICODE)
WORD_OR_NEWLINE_PATTERN = re.compile(rf"\n|[{_CJK}]|{_WORD}|[^\w\s]|_", re.UNICODE)
WIDE = "\u2e80"  # from here on (CJK punctuation, ideographs, full-width forms) no space goes between tokens
NO_SPACE_BEFORE = frozenset(".,;:!?)]}\n")
NO_SPACE_AFTER = frozenset("([{\n")


@dataclass(frozen=True, kw_only=True)
class TokenizerConfig:
    kind: str = "words"
    num_words: int = 10_000  # the vocabulary's cap, <pad> and <unk> included
    min_count: int = 1
    lowercase: bool = True
    newlines: bool = False  # words: a line break is a token of its own

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
        if self.config.kind == "chars":
            return list(text)
        return (WORD_OR_NEWLINE_PATTERN if self.config.newlines else WORD_PATTERN).findall(text)

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

    def spaced(self, tokens: list[str]) -> list[str]:
        """Each token as it reads in running text (characters as they are; words with the space before them)."""
        return list(tokens) if self.config.kind == "chars" else spaced(tokens)

    def to_dict(self) -> dict:
        return {"config": asdict(self.config), "tokens": self.itos[len(SPECIALS) :]}

    @classmethod
    def from_dict(cls, data: dict) -> Tokenizer:
        return cls(TokenizerConfig(**data["config"]), data["tokens"])


def spaced_token(previous: str | None, token: str) -> str:
    """``token`` with the space that goes before it after ``previous`` (None: the start of the text): none before
    closing punctuation or a line break, none after an opening bracket or a line break."""
    if previous is None or token[:1] in NO_SPACE_BEFORE or previous[-1:] in NO_SPACE_AFTER:
        return token
    if token[:1] >= WIDE or previous[-1:] >= WIDE:  # Chinese: no spaces
        return token
    return " " + token


def spaced(tokens: list[str]) -> list[str]:
    """Word tokens as pieces of running text: ``"".join(spaced(tokens))`` reads like the text they came from."""
    return [spaced_token(tokens[i - 1] if i else None, token) for i, token in enumerate(tokens)]

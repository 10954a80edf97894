"""The language models' vocabularies (characters, or word tokens) and the train/validation split.

Both vocabularies answer the same questions, so the trainer, the trace, generation and the pages never ask which
one they hold: ``encode`` a text, ``token(i)`` for one id as a label, ``pieces(ids)`` for ids as running text (one
piece per id, so a page colours a text token by token), ``unknown(text)``, ``unit`` for axis labels ("char" or
"token"), and ``to_json``/``vocab_from_json`` for checkpoints. A character model skips characters it never saw; a
word model reads an unseen word as ``<unk>``, which it learnt to predict like any other token.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

import torch

from rnnviz.i18n import Message
from rnnviz.tokens import PAD, UNK, Tokenizer, TokenizerConfig, spaced_token

VALIDATION_FRACTION = 0.1
TOKEN_KINDS = ("chars", "words")
MAX_WORD_VOCAB = 10_000  # the N most frequent word tokens, <pad> and <unk> included
MAX_CHAR_VOCAB = 4_000  # the N most frequent characters, <unk> included (Chinese runs to thousands; English ~100)
UNK_CHAR = "\ufffd"  # a character vocabulary's <unk>: the replacement character, so a vocabulary stays a string


class VocabError(ValueError):
    """Text could not be encoded; the message is meant for the user."""


@dataclass(frozen=True)
class CharVocab:
    """Sorted unique characters; index i <-> chars[i]. A text with more distinct characters than the cap (Chinese)
    keeps the most frequent and reads the rest as ``UNK_CHAR``, which is then one of ``chars``."""

    chars: str
    kind = "chars"
    unit = "char"

    @classmethod
    def from_text(cls, text: str, max_size: int = MAX_CHAR_VOCAB) -> CharVocab:
        counts = Counter(text)
        if len(counts) <= max_size:
            return cls("".join(sorted(counts)))
        kept = {ch for ch, _ in counts.most_common(max_size - 1)}  # ties in first-seen order: deterministic
        return cls("".join(sorted(kept | {UNK_CHAR})))

    @property
    def never_sampled(self) -> tuple[int, ...]:
        """Ids generation never draws: a capped vocabulary's ``UNK_CHAR`` stands for many rare characters, and writing
        it would put a replacement mark in a poem (its probability is still shown)."""
        return (self._index[UNK_CHAR],) if UNK_CHAR in self._index else ()

    @property
    def reads_unknown_as_unk(self) -> bool:
        """True when an unseen character becomes ``UNK_CHAR`` (a capped vocabulary) rather than being skipped."""
        return UNK_CHAR in self._index

    @property
    def size(self) -> int:
        return len(self.chars)

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def _index(self) -> dict[str, int]:
        cache = self.__dict__.get("_index_cache")
        if cache is None:
            cache = {ch: i for i, ch in enumerate(self.chars)}
            object.__setattr__(self, "_index_cache", cache)
        return cache

    def unknown_chars(self, text: str) -> list[str]:
        """Characters of ``text`` the model has never seen, in first-seen order."""
        index = self._index
        return list(dict.fromkeys(ch for ch in text if ch not in index))

    def encode(self, text: str, unknown: str = "error") -> torch.Tensor:
        """Token ids (T,) of ``text``. ``unknown``: "error" raises, "skip" drops unseen characters; a capped
        vocabulary reads them as ``UNK_CHAR`` whatever ``unknown`` says."""
        index = self._index
        if UNK_CHAR in index:
            unk = index[UNK_CHAR]
            return torch.tensor([index.get(ch, unk) for ch in text], dtype=torch.long)
        if unknown == "skip":
            return torch.tensor([index[ch] for ch in text if ch in index], dtype=torch.long)
        missing = self.unknown_chars(text)
        if missing:
            shown = ", ".join(repr(ch) for ch in missing[:10])
            raise VocabError(Message("errors.config.not_in_vocabulary", shown=shown))
        return torch.tensor([index[ch] for ch in text], dtype=torch.long)

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in ids)

    def unknown(self, text: str) -> list[str]:
        return self.unknown_chars(text)

    def token(self, index: int) -> str:
        return self.chars[index]

    def pieces(self, ids) -> list[str]:
        return [self.chars[int(i)] for i in ids]

    def piece_after(self, previous: int | None, index: int) -> str:
        return self.chars[index]

    @property
    def start_id(self) -> int:
        """What a model reads first when there is no prompt: a line break where it knows one."""
        return self.chars.index("\n") if "\n" in self.chars else 0

    def to_json(self) -> str:
        return json.dumps(self.chars)


class WordVocab:
    """Word and punctuation tokens (lowercased, line breaks kept), the ``MAX_WORD_VOCAB`` most frequent, the rest
    ``<unk>``: ``rnnviz.tokens.Tokenizer``, the same tokenizer the Classify lab uses."""

    kind = "words"
    unit = "token"
    reads_unknown_as_unk = True
    never_sampled = (PAD,)  # padding is never a next token (an untrained model may still give it mass)

    def __init__(self, tokenizer: Tokenizer):
        if tokenizer.config.kind != "words":
            raise VocabError(Message("errors.config.word_tokenizer"))
        self.tokenizer = tokenizer

    @classmethod
    def from_text(cls, text: str, num_words: int = MAX_WORD_VOCAB) -> WordVocab:
        config = TokenizerConfig(kind="words", num_words=num_words, newlines=True)
        return cls(Tokenizer.fit([text], config))

    @property
    def size(self) -> int:
        return self.tokenizer.size

    def __len__(self) -> int:
        return self.tokenizer.size

    def unknown(self, text: str) -> list[str]:
        """Words of ``text`` outside the vocabulary (each read as ``<unk>``), in first-seen order."""
        return self.tokenizer.unknown(text)

    def encode(self, text: str, unknown: str = "unk") -> torch.Tensor:
        """Token ids (T,); an unseen word is ``<unk>`` whatever ``unknown`` says (a word model predicts it)."""
        return torch.tensor(self.tokenizer.encode(text), dtype=torch.long)

    def token(self, index: int) -> str:
        return self.tokenizer.itos[index]

    def pieces(self, ids) -> list[str]:
        tokens = self.tokenizer.decode(int(i) for i in ids)
        return self.tokenizer.spaced(tokens)

    def piece_after(self, previous: int | None, index: int) -> str:
        return spaced_token(None if previous is None else self.token(previous), self.token(index))

    def decode(self, ids) -> str:
        return "".join(self.pieces(ids))

    @property
    def start_id(self) -> int:
        return self.tokenizer.stoi.get("\n", UNK)

    def to_json(self) -> str:
        return json.dumps(self.tokenizer.to_dict())


Vocab = CharVocab | WordVocab


def build_vocab(text: str, tokens: str = "chars") -> Vocab:
    """The vocabulary of ``text``: its characters, or its word tokens capped at ``MAX_WORD_VOCAB``."""
    if tokens not in TOKEN_KINDS:
        raise VocabError(Message("errors.config.tokens", value=repr(tokens)))
    return CharVocab.from_text(text) if tokens == "chars" else WordVocab.from_text(text)


def vocab_from_json(raw: str) -> Vocab:
    """A checkpoint's vocabulary: a string of characters, or a word tokenizer's dict (ValueError when neither)."""
    data = json.loads(raw)
    if isinstance(data, str):
        return CharVocab(data)
    if not isinstance(data, dict):
        raise ValueError("the vocabulary is neither characters nor a word tokenizer")
    well_formed = isinstance(data.get("config"), dict) and isinstance(data.get("tokens"), list)
    if not well_formed or not all(isinstance(token, str) for token in data["tokens"]):
        raise ValueError("the vocabulary is neither characters nor a word tokenizer")
    return WordVocab(Tokenizer.from_dict(data))


def split_train_val(ids: torch.Tensor, val_fraction: float = VALIDATION_FRACTION) -> tuple[torch.Tensor, torch.Tensor]:
    """Deterministic split: the first 90% trains, the last 10% validates (as in char-rnn and nanoGPT)."""
    n_train = int(len(ids) * (1 - val_fraction))
    return ids[:n_train], ids[n_train:]

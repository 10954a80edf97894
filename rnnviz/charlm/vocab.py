"""Character vocabulary and the train/validation split."""

from __future__ import annotations

from dataclasses import dataclass

import torch

VALIDATION_FRACTION = 0.1


class VocabError(ValueError):
    """Text could not be encoded; the message is meant for the user."""


@dataclass(frozen=True)
class CharVocab:
    """Sorted unique characters; index i <-> chars[i]."""

    chars: str

    @classmethod
    def from_text(cls, text: str) -> CharVocab:
        return cls("".join(sorted(set(text))))

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
        """Token ids (T,) of ``text``. ``unknown``: "error" raises, "skip" drops unseen characters."""
        index = self._index
        if unknown == "skip":
            return torch.tensor([index[ch] for ch in text if ch in index], dtype=torch.long)
        missing = self.unknown_chars(text)
        if missing:
            shown = ", ".join(repr(ch) for ch in missing[:10])
            raise VocabError(f"These characters are not in the model's vocabulary: {shown}")
        return torch.tensor([index[ch] for ch in text], dtype=torch.long)

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in ids)


def split_train_val(ids: torch.Tensor, val_fraction: float = VALIDATION_FRACTION) -> tuple[torch.Tensor, torch.Tensor]:
    """Deterministic split: the first 90% trains, the last 10% validates (as in char-rnn and nanoGPT)."""
    n_train = int(len(ids) * (1 - val_fraction))
    return ids[:n_train], ids[n_train:]

"""The tagger's characters: the training split's characters seen at least twice, plus ``<pad>`` and ``<unk>``.

Chinese news runs to thousands of distinct characters, most of them rare; a character seen once in training
teaches little and would be ``<unk>`` for most readers' text anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cached_property

import numpy as np

from rnnviz.tagging.corpus import normalize_text

PAD, UNK = 0, 1
SPECIALS = ("<pad>", "<unk>")


class _IdTable(dict):
    """A ``str.translate`` table from a known character to the character whose code is its id, any other to
    ``<unk>``'s."""

    def __missing__(self, code: int) -> str:
        return chr(UNK)


class CharVocab:
    def __init__(self, chars: Iterable[str]):
        self.itos = [*SPECIALS, *chars]
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_count: int = 2, max_size: int = 6000) -> CharVocab:
        counts = Counter(c for text in texts for c in text)
        common = [c for c, n in counts.most_common(max_size - len(SPECIALS)) if n >= min_count]
        return cls(common)

    @property
    def size(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> list[int]:
        """Each character's id (``<unk>`` for one never seen); full-width digits and letters read as ASCII."""
        stoi = self.stoi
        return [stoi.get(c, UNK) for c in normalize_text(text)]

    def encode_many(self, texts: list[str]) -> list[list[int]]:
        """``encode`` of each text, all at once: the texts joined, each character turned into the character whose
        code is its id by one ``str.translate``, and the codes read as an array (People's Daily's 45,000 sentences
        are encoded in every process that opens the Tag page or a tagging lesson: a loop per character was most
        of that wait). A vocabulary too large for ids to stay below the surrogate codes is encoded text by text."""
        if self.size >= 0xD800:
            return [self.encode(text) for text in texts]
        joined = normalize_text("".join(texts)).translate(self._as_ids)
        ids = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)  # (total characters,)
        ends = np.cumsum([len(text) for text in texts])[:-1]
        return [part.tolist() for part in np.split(ids, ends)] if texts else []

    @cached_property
    def _as_ids(self) -> _IdTable:
        return _IdTable({ord(c): chr(i) for i, c in enumerate(self.itos) if len(c) == 1})  # not <pad>, <unk>

    def unknown(self, text: str) -> str:
        """The characters of ``text`` this vocabulary does not know, each once, in order."""
        seen = dict.fromkeys(c for c, normal in zip(text, normalize_text(text)) if normal not in self.stoi)
        return "".join(seen)

    def to_list(self) -> list[str]:
        return self.itos[len(SPECIALS) :]

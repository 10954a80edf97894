"""The tagger's characters: the training split's characters seen at least twice, plus ``<pad>`` and ``<unk>``.

Chinese news runs to thousands of distinct characters, most of them rare; a character seen once in training
teaches little and would be ``<unk>`` for most readers' text anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rnnviz.tagging.corpus import normalize_text

PAD, UNK = 0, 1
SPECIALS = ("<pad>", "<unk>")


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

    def unknown(self, text: str) -> str:
        """The characters of ``text`` this vocabulary does not know, each once, in order."""
        seen = dict.fromkeys(c for c, normal in zip(text, normalize_text(text)) if normal not in self.stoi)
        return "".join(seen)

    def to_list(self) -> list[str]:
        return self.itos[len(SPECIALS) :]

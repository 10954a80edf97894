"""The BIO tag set for people, places and organisations, and what it allows.

Each character gets one tag: ``B-X`` begins an entity of type X, ``I-X`` continues it, ``O`` is outside any.
``I-X`` may only follow ``B-X`` or ``I-X``: the CRF layer forbids every other transition (``allowed_transitions``),
a per-character softmax cannot, and the page counts how often it breaks the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTITY_TYPES = ("PER", "LOC", "ORG")
TAGS = ("O", *(f"{prefix}-{kind}" for kind in ENTITY_TYPES for prefix in ("B", "I")))
TAG_INDEX = {tag: index for index, tag in enumerate(TAGS)}
# People's Daily part-of-speech tags that name an entity: nr person, ns place, nt organisation.
POS_TO_TYPE = {"nr": "PER", "ns": "LOC", "nt": "ORG"}


@dataclass(frozen=True)
class Entity:
    kind: str  # PER, LOC or ORG
    start: int  # first character
    end: int  # one past the last character
    text: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


def word_tags(length: int, kind: str | None) -> list[str]:
    """The character tags of one word: all ``O``, or ``B-X`` then ``I-X``."""
    if kind is None:
        return ["O"] * length
    return [f"B-{kind}"] + [f"I-{kind}"] * (length - 1)


def entities(text: str, tags: list[str]) -> list[Entity]:
    """The entities a tag sequence marks. An ``I-X`` with no ``B-X`` before it starts an entity (seqeval's default
    reading, so the page's highlights and the F1 agree)."""
    found: list[Entity] = []
    kind, start = None, 0
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, tag_kind = tag.partition("-")
        continues = prefix == "I" and tag_kind == kind
        if kind is not None and not continues:
            found.append(Entity(kind, start, index, text[start:index]))
            kind = None
        if prefix in ("B", "I") and not continues:
            kind, start = tag_kind, index
    return found


def is_valid(tags: list[str]) -> bool:
    """True when every ``I-X`` follows ``B-X`` or ``I-X``."""
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        previous = tag
    return True


def allowed_transitions() -> tuple[list[bool], list[list[bool]]]:
    """(may a sentence start with tag j, may tag i be followed by tag j), indexed like ``TAGS``."""

    def allowed(previous: str | None, tag: str) -> bool:
        if not tag.startswith("I-"):
            return True
        return previous is not None and previous != "O" and previous[2:] == tag[2:]

    start = [allowed(None, tag) for tag in TAGS]
    pairs = [[allowed(previous, tag) for tag in TAGS] for previous in TAGS]
    return start, pairs

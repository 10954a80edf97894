"""Toy translation tasks generated on the fly from a seed; no download.

- dates: human-readable dates in many formats -> ISO 2021-03-03. Dates whose day number
  (days since 1 Jan 1950) is divisible by 7 are held out: never generated for training.
- reverse: a lowercase string -> the same reversed.
- sort: a string of digits -> its digits sorted.
- add: "123+4567" -> "4690".
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass

import torch

SEQ2SEQ_TASKS = ("dates", "reverse", "sort", "add")
PAD, SOS, EOS = 0, 1, 2
SPECIALS = ["<pad>", "<s>", "</s>"]
CHARS = string.ascii_letters + string.digits + " ,./-+':"
FIRST_DAY = dt.date(1950, 1, 1)
DAYS = (dt.date(2049, 12, 31) - FIRST_DAY).days
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Seq2SeqVocab:
    """One character vocabulary for sources and targets, with <pad>, <s> and </s>."""

    def __init__(self, chars: str = CHARS):
        self.itos = SPECIALS + list(dict.fromkeys(chars))
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}

    @property
    def size(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> list[int]:
        """Characters outside the vocabulary are dropped (the page reports them)."""
        return [self.stoi[ch] for ch in text if ch in self.stoi and self.stoi[ch] > EOS]

    def unknown(self, text: str) -> list[str]:
        return list(dict.fromkeys(ch for ch in text if ch not in self.stoi))

    def decode(self, ids) -> str:
        out = []
        for i in ids:
            i = int(i)
            if i == EOS:
                break
            if i > EOS:
                out.append(self.itos[i])
        return "".join(out)


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def date_formats(d: dt.date) -> list[str]:
    month, weekday = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
    return [
        f"{ordinal(d.day)} of {month} {d.year}",
        f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
        f"{weekday}, {month} {d.day}, {d.year}",
        f"{month} {d.day}, {d.year}",
        f"{d.day} {month[:3]} {d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"{month[:3].lower()} {d.day} {d.year}",
        f"{weekday[:3]} {d.day} {month} {d.year}",
        f"{d.year}/{d.month}/{d.day}",
        f"{ordinal(d.day)} {month}, {d.year}",
        f"{month.upper()} {d.day} {d.year}",
        f"{d.day}-{month[:3]}-{d.year % 100:02d}",
    ]


def is_held_out_date(d: dt.date) -> bool:
    return (d - FIRST_DAY).days % 7 == 0


@dataclass(frozen=True)
class Example:
    source: str
    target: str


def make_example(task: str, rng: random.Random, held_out: bool = False, length: int = 10) -> Example:
    if task == "dates":
        while True:
            d = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            if is_held_out_date(d) == held_out:
                break
        return Example(rng.choice(date_formats(d)), d.isoformat())
    if task == "reverse":
        n = rng.randint(max(1, length // 2), length)
        s = "".join(rng.choice(string.ascii_lowercase) for _ in range(n))
        return Example(s, s[::-1])
    if task == "sort":
        n = rng.randint(max(1, length // 2), length)
        s = "".join(rng.choice(string.digits) for _ in range(n))
        return Example(s, "".join(sorted(s)))
    if task == "add":
        a, b = rng.randrange(10 ** rng.randint(1, 4)), rng.randrange(10 ** rng.randint(1, 4))
        return Example(f"{a}+{b}", str(a + b))
    raise ValueError(f"task must be one of {', '.join(SEQ2SEQ_TASKS)}")


def held_out_set(task: str, count: int, seed: int, length: int = 10) -> list[Example]:
    """A fixed evaluation set. For dates: only held-out dates; otherwise fresh random examples."""
    rng = random.Random(seed + 1_000_003)
    return [make_example(task, rng, held_out=True, length=length) for _ in range(count)]


def pad_batch(sequences: list[list[int]]) -> torch.Tensor:
    width = max(1, max(len(s) for s in sequences))
    return torch.tensor([s + [PAD] * (width - len(s)) for s in sequences], dtype=torch.long)


def encode_pairs(vocab: Seq2SeqVocab, examples: list[Example]) -> tuple[torch.Tensor, torch.Tensor]:
    src = pad_batch([vocab.encode(e.source) for e in examples])  # (B, S)
    tgt = pad_batch([vocab.encode(e.target) + [EOS] for e in examples])  # (B, T)
    return src, tgt

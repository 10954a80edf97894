"""The interpretable-neuron finder: which unit tracks which property of the text?

Karpathy's "quote neuron" was found by looking at hundreds of units by eye. Here each unit's
activation over a text is correlated (Pearson r) with simple features computed from the text,
and the best units per feature are ranked, so the famous finds become a search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from rnnviz.i18n import t
from rnnviz.introspect.trace_types import Trace

VOWELS = set("aeiouAEIOU")
OPENERS, CLOSERS = "([{", ")]}"


def inside_quotes(text: str) -> list[float]:
    """1 inside a double-quoted span (the quote marks included), else 0."""
    values, inside = [], False
    for ch in text:
        if ch == '"':
            values.append(1.0)
            inside = not inside
        else:
            values.append(1.0 if inside else 0.0)
    return values


def bracket_depth(text: str) -> list[float]:
    """Nesting depth of (), [] and {} after reading each character."""
    values, depth = [], 0
    for ch in text:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        values.append(float(depth))
    return values


def position_in_line(text: str) -> list[float]:
    """Characters since the last newline (0 for the newline itself)."""
    values, pos = [], 0
    for ch in text:
        pos = 0 if ch == "\n" else pos + 1
        values.append(float(pos))
    return values


def indentation_level(text: str) -> list[float]:
    """Leading spaces of the current line (a tab counts 4)."""
    values, indent, leading = [], 0, True
    for ch in text:
        if ch == "\n":
            indent, leading = 0, True
        elif leading and ch == " ":
            indent += 1
        elif leading and ch == "\t":
            indent += 4
        else:
            leading = False
        values.append(float(indent))
    return values


def word_start(text: str) -> list[float]:
    """1 on the first letter of a word."""
    return [1.0 if ch.isalpha() and (i == 0 or not text[i - 1].isalpha()) else 0.0 for i, ch in enumerate(text)]


def vowel(text: str) -> list[float]:
    return [1.0 if ch in VOWELS else 0.0 for ch in text]


def regex_feature(text: str, pattern: str) -> list[float]:
    """1 on every character inside a match of ``pattern``."""
    values = [0.0] * len(text)
    for match in re.finditer(pattern, text):
        for i in range(match.start(), match.end()):
            values[i] = 1.0
    return values


FEATURES = {
    "inside quotes": inside_quotes,
    "bracket depth": bracket_depth,
    "position in line": position_in_line,
    "indentation": indentation_level,
    "word start": word_start,
    "vowel": vowel,
}


@dataclass(frozen=True)
class NeuronMatch:
    feature: str
    layer: int
    state: str  # "h" or "c"
    unit: int
    correlation: float

    def describe(self) -> str:
        """ "layer 1 c[37] tracks 'inside quotes', r = +0.86", in the current language."""
        feature = self.feature
        shown = t("features.regex", pattern=feature[6:]) if feature.startswith("regex ") else t(f"features.{feature}")
        return t(
            "inspect.match",
            layer=self.layer,
            state=self.state,
            unit=self.unit,
            feature=shown,
            r=f"{self.correlation:+.2f}",
        )


def correlations(activations: torch.Tensor, feature: torch.Tensor) -> torch.Tensor:
    """activations (T, H), feature (T,) -> Pearson r per unit (H,); 0 where undefined."""
    a = activations.double() - activations.double().mean(dim=0)
    f = feature.double() - feature.double().mean()
    denominator = a.norm(dim=0) * f.norm()
    r = (a * f[:, None]).sum(dim=0) / denominator
    return torch.where(denominator > 0, r, torch.zeros_like(r)).float()


def at_token_ends(values: list[float], tokens: list[str]) -> list[float]:
    """A per-character feature read once per token, at the token's last character (where the state that has just
    read the token stands); for a character trace, the values as they are."""
    if not tokens or all(len(token) == 1 for token in tokens):
        return values
    ends, position = [], -1
    for token in tokens:
        position += len(token)
        ends.append(values[position])
    return ends


def find_neurons(trace: Trace, regex: str | None = None, top: int = 3) -> dict[str, list[NeuronMatch]]:
    """For each feature, the ``top`` units (any layer, h or c) with the largest |r|."""
    features = {name: at_token_ends(fn(trace.text), trace.tokens) for name, fn in FEATURES.items()}
    if regex:
        features[f"regex {regex}"] = at_token_ends(regex_feature(trace.text, regex), trace.tokens)
    result = {}
    for name, values in features.items():
        feature = torch.tensor(values)
        if float(feature.std()) == 0.0:
            result[name] = []  # the text never varies in this feature
            continue
        candidates = []
        for index, layer in enumerate(trace.layers):
            states = [("h", layer.h)] + ([("c", layer.c)] if layer.c is not None else [])
            for state_name, activations in states:
                r = correlations(activations, feature)
                best = torch.topk(r.abs(), min(top, r.numel())).indices
                candidates += [NeuronMatch(name, index, state_name, int(u), float(r[u])) for u in best]
        candidates.sort(key=lambda m: -abs(m.correlation))
        result[name] = candidates[:top]
    return result

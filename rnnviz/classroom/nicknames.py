"""A student's nickname, cleaned once on the way in and from then on only ever shown as plain text.

Whatever a student types (HTML, markdown, a script, 10,000 characters, control characters, right-to-left overrides
that flip what follows) is kept as characters, never interpreted: the UI shows it escaped and the CSV export
neutralises spreadsheet formulas. Cleaning only removes what cannot be shown sensibly or would break storage
(NUL cannot go into PostgreSQL text), folds runs of white space, and caps the length so one nickname cannot fill a
bar chart's legend.
"""

from __future__ import annotations

import unicodedata

# Format characters (category Cf) are dropped, except the joiners that build emoji and some scripts' letters.
_KEPT_FORMAT = {"\u200c", "\u200d"}


def clean_nickname(typed: str | None, *, max_length: int) -> str | None:
    """The nickname to store: NFC, without control, format (bar the joiners), surrogate or private-use characters,
    white space folded to single spaces, trimmed and capped at ``max_length`` characters; None when nothing is left
    (the student is anonymous)."""
    if typed is None:
        return None
    if not isinstance(typed, str):
        raise TypeError("a nickname is text")
    kept = []
    for char in unicodedata.normalize("NFC", typed[: max_length * 8]):
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        elif category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char not in _KEPT_FORMAT):
            continue
        else:
            kept.append(char)
    text = " ".join("".join(kept).split())[:max_length].strip()
    return text or None

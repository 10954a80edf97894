"""The three random strings of class mode, each from ``secrets``.

- A join code: 6 characters a teacher reads aloud and students type on a phone, so the alphabet leaves out every
  character that looks like another (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V: one of each group at most). 24
  symbols to the power 6 is 191 million codes, so a guessed code almost never hits a live class; typing is forgiving
  (lower case, spaces and dashes, and a B, S, Z, U or 6 typed for its look-alike are read as the code's character).
- A teacher secret: ``secrets.token_urlsafe`` (192 bits) kept by the teacher's browser; the database holds only its
  SHA-256, so a copy of the database does not let anyone act as the teacher. A plain hash is enough for a random
  secret of that length (a slow password hash protects guessable passwords, which these are not).
- A member id: random and url-safe, so a student whose phone reloads rejoins as the same member.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "ACEFGHJKMNPRTVWXY2345789"
CODE_LENGTH = 6
# What a student may type for a character the alphabet leaves out, read as the look-alike it keeps.
_LOOKALIKES = str.maketrans({"B": "8", "S": "5", "Z": "2", "U": "V", "6": "G"})
_IGNORED = str.maketrans("", "", " -_.\t")


def new_code() -> str:
    """A fresh join code (the store checks it is not taken)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str | None:
    """The code a student meant (upper case, separators dropped, look-alikes mapped), or None when it cannot be one."""
    if not isinstance(typed, str) or len(typed) > 4 * CODE_LENGTH:
        return None
    code = typed.translate(_IGNORED).upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def new_teacher_secret() -> str:
    """The teacher's secret, shown once to the teacher's browser and never stored."""
    return secrets.token_urlsafe(24)


def hash_secret(secret: str) -> str:
    """What the database keeps of a teacher secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: object, stored_hash: str) -> bool:
    """Whether ``secret`` is the one hashed to ``stored_hash``, compared in constant time (no timing hint)."""
    if not isinstance(secret, str) or not secret:
        return False
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def new_member_id() -> str:
    """A student's id in one class (96 random bits, url-safe: it can sit in the student's URL)."""
    return secrets.token_urlsafe(12)

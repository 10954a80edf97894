"""Links a teacher hands out: settings in the URL, some of them locked, signed so a locked value changed in the
address bar is noticed and refused.

The signature is an HMAC-SHA256 of the locked settings under a secret that only the server knows
(``$RNNVIZ_LINK_SECRET``, or a random one kept in the cache folder so links outlive a restart). Plain settings stay
editable: a link only fixes what the teacher locked.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import platformdirs

LOCK, HIDE, SIGNATURE = "lock", "hide", "sig"


def _secret_file() -> Path:
    base = os.environ.get("RNNVIZ_CACHE_DIR") or platformdirs.user_cache_dir("rnnviz")
    return Path(base) / "link-secret"


def link_secret() -> bytes:
    """The server's secret: from the environment, or created once (readable by this user only) and kept."""
    configured = os.environ.get("RNNVIZ_LINK_SECRET")
    if configured:
        return configured.encode()
    return _secret_in(_secret_file())


@lru_cache(maxsize=4)
def _secret_in(path: Path) -> bytes:
    """Read (or create, readable by this user only) the secret file once per process."""
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _signature(scope: dict[str, str], locked: dict[str, str], hidden: list[str], secret: bytes) -> str:
    canonical = "&".join(f"{k}={v}" for k, v in sorted({**scope, **locked}.items()))
    canonical += f"|lock={','.join(sorted(locked))}|hide={','.join(sorted(hidden))}"
    return hmac.new(secret, canonical.encode(), hashlib.sha256).hexdigest()[:16]


def class_link(scope: dict[str, str], locked: dict[str, str], hidden: list[str], secret: bytes | None = None) -> dict:
    """Query parameters of a link for a class: ``scope`` (where it opens: lesson, step), the ``locked`` settings at
    their values, and which of them are ``hidden`` (not shown at all, still fixed)."""
    secret = link_secret() if secret is None else secret
    hidden = [key for key in hidden if key in locked]
    params = {**scope, **locked}
    if locked:
        params[LOCK] = ",".join(sorted(locked))
        if hidden:
            params[HIDE] = ",".join(sorted(hidden))
        params[SIGNATURE] = _signature(scope, locked, hidden, secret)
    return params


@dataclass(frozen=True)
class LinkLocks:
    locked: dict[str, str] = field(default_factory=dict)  # key -> value as the teacher set it
    hidden: frozenset[str] = frozenset()
    refused: str | None = None  # why the link's locks could not be trusted


def read_locks(params: dict[str, str], scope_keys: tuple[str, ...], secret: bytes | None = None) -> LinkLocks:
    """The locks of a link, checked. A link whose locked values (or scope, or lists) were changed is refused: its
    locked keys stay locked, at the defaults, and ``refused`` says why."""
    if LOCK not in params:
        return LinkLocks()
    keys = [key for key in params[LOCK].split(",") if key]
    hidden = [key for key in params.get(HIDE, "").split(",") if key in keys]
    locked = {key: params.get(key, "") for key in keys}
    scope = {key: params[key] for key in scope_keys if key in params}
    expected = _signature(scope, locked, hidden, link_secret() if secret is None else secret)
    if not hmac.compare_digest(expected, params.get(SIGNATURE, "")):
        return LinkLocks(
            locked={key: "" for key in keys},
            hidden=frozenset(hidden),
            refused="This link was changed after your teacher made it, so its locked settings are "
            "refused; the locked controls stay at their defaults.",
        )
    return LinkLocks(locked=locked, hidden=frozenset(hidden))

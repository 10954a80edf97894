"""Where the class database is and the limits a class keeps, in one place.

The database: ``ClassStore(url)``, else ``$RNNVIZ_DATABASE_URL`` (PostgreSQL for several replicas behind the proxy:
every replica must see the same class), else a SQLite file in the app's cache folder (``$RNNVIZ_CACHE_DIR`` or the
per-user cache, as ``rnnviz/links.py`` picks it), which several processes on one machine share.

The limits keep one class, or one script posing as a class, from filling the database: how long a class lives, how
many students join, how long a nickname or a key is, how big a snapshot may be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DATABASE_URL_ENV = "RNNVIZ_DATABASE_URL"
CLASS_HOURS_ENV = "RNNVIZ_CLASS_HOURS"  # how long a class lives unless kept (default 12)
SQLITE_FILE = "classroom.sqlite3"


@dataclass(frozen=True, kw_only=True)
class ClassroomSettings:
    """Limits of one class and of the connection to the database."""

    default_hours: float = 12.0  # a class's life unless the teacher keeps it: a school day, then its data is deleted
    max_hours: float = 7 * 24.0
    max_members: int = 500  # a lecture hall; more is a script
    nickname_length: int = 40  # fits a bar chart's legend and a phone's screen
    key_length: int = 100  # lesson and question keys come from the lessons' files: short names
    max_options: int = 26  # a question's options, counted from 0
    max_steps: int = 1000
    max_snapshot_bytes: int = 2_000_000  # a lab's snapshot is bounded histories: tens of kilobytes
    busy_timeout_s: float = 5.0  # SQLite: how long a writer waits for another process's write
    connect_timeout_s: int = 5  # PostgreSQL: a server that is down is reported in seconds, not minutes
    # How long the answers to "where is the class?" and "which snapshot is the latest?" are shared by the sessions of
    # one server process: at 0.5 s, a class of 60 polling once a second reads each about twice a second, not 60 times
    # (a write in this process forgets them at once, so after one more can be read). Another replica's write is seen
    # within this time. 0: off.
    shared_read_s: float = 0.0

    @classmethod
    def from_environment(cls) -> ClassroomSettings:
        """The defaults, with a class's life from ``$RNNVIZ_CLASS_HOURS`` where it is set (a bad value is refused at
        start with its name, not ignored)."""
        raw = os.environ.get(CLASS_HOURS_ENV, "").strip()
        if not raw:
            return cls()
        try:
            hours = float(raw)
        except ValueError:
            raise ValueError(f"{CLASS_HOURS_ENV}={raw!r} is not a number of hours") from None
        settings = cls(default_hours=hours)
        try:
            settings.validate()
        except ValueError:
            raise ValueError(
                f"{CLASS_HOURS_ENV}={raw!r}: a class lasts more than 0 and at most {settings.max_hours:g} hours"
            ) from None
        return settings

    def validate(self) -> None:
        if not 0 < self.default_hours <= self.max_hours:
            raise ValueError("default_hours must be above 0 and at most max_hours")
        for name in ("max_members", "nickname_length", "key_length", "max_options", "max_steps"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if (
            self.busy_timeout_s < 0
            or self.connect_timeout_s < 1
            or self.max_snapshot_bytes < 1
            or self.shared_read_s < 0
        ):
            raise ValueError("timeouts and the snapshot cap must be positive")


def default_sqlite_path() -> Path:
    """The SQLite file in the app's cache folder."""
    base = os.environ.get("RNNVIZ_CACHE_DIR") or platformdirs.user_cache_dir("rnnviz")
    return Path(base) / SQLITE_FILE


def database_url(url: str | None = None) -> str:
    """The URL the store opens: the argument, else ``$RNNVIZ_DATABASE_URL``, else the cache folder's SQLite file."""
    if url:
        return url
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return configured
    return f"sqlite:///{default_sqlite_path()}"

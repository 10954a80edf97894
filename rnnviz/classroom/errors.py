"""The two ways a class request fails, kept apart because the UI answers them differently.

``ClassError``: the request is refused (a wrong code, an expired or closed class, a wrong teacher secret, an answer
after the reveal); nothing was changed and the person can do something about it. Its ``reason`` is a short fixed key
("unknown_class", "expired", ...) so the UI can show its own words in the reader's language; the message is English
for logs and tests.

``StoreUnavailable``: the database itself cannot be used (a read-only file, the server down, a wrong URL, a schema
of another version). Class mode is off until it comes back; the labs, which never touch the database, keep working.
The SQLAlchemy error stays attached as ``__cause__`` for the log, never as the message.
"""

from __future__ import annotations


class ClassError(ValueError):
    """A request the class refuses, with nothing changed."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class StoreUnavailable(RuntimeError):
    """The class database cannot be read or written."""


class SchemaVersionError(StoreUnavailable):
    """The database was made by an rnnviz with another schema version: refused at start, before anything is written."""

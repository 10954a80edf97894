"""Opening the class database, and turning its failures into one clear error.

SQLite (one machine, several processes): WAL mode, so students' reads never wait for the teacher's write and a
reader never blocks a writer; a busy timeout, so two processes writing at once wait their turn instead of failing;
foreign keys on. Transactions that write begin with ``BEGIN IMMEDIATE``: they take the write lock first, so a
read-then-write (an answer checked against the reveal, then stored) cannot be overtaken by another process's write
between the two (a deferred transaction would fail there with "database is locked" instead of waiting).

PostgreSQL (several replicas): psycopg 3 (a bare ``postgresql://`` URL is read as ``postgresql+psycopg://``), a
connection checked before use so a restarted server is reconnected to, and a short connect timeout so a server that
is down is reported in seconds. Write transactions lock their class's row (``SELECT ... FOR UPDATE``).

Any SQLAlchemy or file-system error becomes ``StoreUnavailable`` with the database named (password hidden) and the
driver's one-line reason: the UI shows it, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine

from rnnviz.classroom.errors import ClassError, StoreUnavailable
from rnnviz.classroom.settings import DATABASE_URL_ENV, ClassroomSettings

WRITE_OPTION = "rnnviz_write"  # an execution option: this connection's transactions write (SQLite: BEGIN IMMEDIATE)


def parse_url(url: str) -> URL:
    """The URL as SQLAlchemy reads it, PostgreSQL through psycopg 3."""
    try:
        parsed = sa.make_url(url)
    except exc.ArgumentError as error:
        raise StoreUnavailable(
            f"The class database URL is not a database URL (set {DATABASE_URL_ENV} to sqlite:///FILE or "
            "postgresql://USER@HOST/DATABASE)."
        ) from error
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def describe(url: URL) -> str:
    """The database named for a message, without its password (a SQLite file by its path, not URL-escaped)."""
    if url.get_backend_name() == "sqlite":
        query = "&".join(f"{key}={value}" for key, value in url.query.items())
        return f"sqlite:///{url.database or ''}" + (f"?{query}" if query else "")
    return url.render_as_string(hide_password=True)


def make_engine(url: URL, settings: ClassroomSettings) -> Engine:
    """An engine for ``url`` (connects lazily). Raises ``StoreUnavailable`` for a backend other than SQLite or
    PostgreSQL, a driver that is not installed, or a SQLite folder that cannot be made."""
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(url, settings)
        if backend == "postgresql":
            return sa.create_engine(
                url, pool_pre_ping=True, connect_args={"connect_timeout": settings.connect_timeout_s}
            )
    except (exc.SQLAlchemyError, ImportError, OSError) as error:
        raise StoreUnavailable(f"The class database {describe(url)} cannot be opened: {reason(error)}") from error
    raise StoreUnavailable(f"The class database must be SQLite or PostgreSQL, not {backend} ({describe(url)}).")


def _sqlite_engine(url: URL, settings: ClassroomSettings) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:"):
        raise StoreUnavailable("A class database in memory is not shared between processes: give a file.")
    if not database.startswith("file:"):  # a URI (``?uri=true``) names its file itself, and may be read-only
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": settings.busy_timeout_s})
    busy_ms = int(settings.busy_timeout_s * 1000)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below), so reads are isolated too
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")  # kept in the file: a read-only file keeps the mode it has
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")

    return engine


def reason(error: BaseException) -> str:
    """The driver's own first line (what went wrong), not SQLAlchemy's wrapping with the SQL and a link."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


@contextmanager
def unavailable_as_error(where: str) -> Iterator[None]:
    """Run database work; a failure of the database itself leaves as ``StoreUnavailable``. ``ClassError`` and
    ``StoreUnavailable`` raised inside pass through (the transaction around them has rolled back)."""
    try:
        yield
    except (ClassError, StoreUnavailable):
        raise
    except (exc.SQLAlchemyError, OSError) as error:
        raise StoreUnavailable(f"The class database {where} cannot be used: {reason(error)}") from error

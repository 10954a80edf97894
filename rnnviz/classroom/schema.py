"""The class database's tables and its version, checked before anything is read or written.

Times are seconds since the epoch (a float: the same on SQLite and PostgreSQL, and compared as numbers). Payloads
are JSON text the store writes and reads itself: the database never interprets them. Tables are prefixed
``rnnviz_`` so they can share a PostgreSQL database with other things.

``SCHEMA_VERSION`` is kept in ``rnnviz_meta``. A database of another version (an older or newer rnnviz made it) is
refused at start with a message saying so, before a table is created or a row written: the two rnnvizes would
otherwise read each other's rows wrongly. A change to these tables is a new version.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rnnviz.classroom.errors import SchemaVersionError

SCHEMA_VERSION = 2  # 2: the step's control values (``classes.step_values``), which every student's question reads
VERSION_KEY = "schema_version"
PHASES = ("answering", "running", "revealed")  # a step: students answer, the teacher's run plays, the answer shown
RUN_STATUSES = ("running", "finished", "stopped")
# PostgreSQL: replicas that start together take turns creating the tables (an advisory lock, held to the commit).
_SCHEMA_LOCK = 0x726E6E76  # "rnnv"

metadata = sa.MetaData()

meta = sa.Table(
    "rnnviz_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

classes = sa.Table(
    "rnnviz_classes",
    metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("lesson", sa.Text, nullable=False),
    sa.Column("step", sa.Integer, nullable=False, default=0),
    sa.Column("phase", sa.String(16), nullable=False, default="answering"),
    # The teacher's values for the step's controls, as JSON: the students' question names the value the run uses.
    sa.Column("step_values", sa.Text, nullable=False, default="{}"),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Column("expires_at", sa.Double, nullable=False, index=True),
    sa.Column("kept", sa.Boolean, nullable=False, default=False),
    sa.Column("closed", sa.Boolean, nullable=False, default=False),
)


def _class_code() -> sa.Column:
    return sa.Column("class_code", sa.String(16), sa.ForeignKey(classes.c.code, ondelete="CASCADE"), nullable=False)


members = sa.Table(
    "rnnviz_members",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    _class_code(),
    sa.Column("nickname", sa.Text, nullable=True),  # plain text, already cleaned (nicknames.py); None: anonymous
    sa.Column("number", sa.Integer, nullable=False),  # 1, 2, ... in the order they joined (the export's order)
    sa.Column("joined_at", sa.Double, nullable=False),
    sa.UniqueConstraint("class_code", "number"),
)

answers = sa.Table(  # one row per member and question: a new answer replaces the old one (the last one counts)
    "rnnviz_answers",
    metadata,
    _class_code(),
    sa.Column("question_key", sa.Text, nullable=False),
    sa.Column("member_id", sa.String(64), sa.ForeignKey(members.c.id, ondelete="CASCADE"), nullable=False),
    sa.Column("option_index", sa.Integer, nullable=False),
    sa.Column("answered_at", sa.Double, nullable=False),
    sa.PrimaryKeyConstraint("class_code", "question_key", "member_id"),
)

reveals = sa.Table(  # a question revealed: from then on no answer to it is taken
    "rnnviz_reveals",
    metadata,
    _class_code(),
    sa.Column("question_key", sa.Text, nullable=False),
    sa.Column("revealed_at", sa.Double, nullable=False),
    sa.PrimaryKeyConstraint("class_code", "question_key"),
)

snapshots = sa.Table(  # the latest snapshot of each step's run (older ones are replaced: viewers only draw the last)
    "rnnviz_snapshots",
    metadata,
    _class_code(),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("sequence", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("published_at", sa.Double, nullable=False),
    sa.PrimaryKeyConstraint("class_code", "step"),
)

CLASS_TABLES = (answers, reveals, snapshots, members)  # a class's rows, children first


def ensure_schema(conn: Connection, where: str) -> None:
    """Check the database's schema version and create what is missing, in the caller's transaction. Raises
    ``SchemaVersionError`` for a database of another version (nothing created). A read-only database that already
    holds this version is read and not written."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
    found = None
    if sa.inspect(conn).has_table(meta.name):
        found = conn.scalar(sa.select(meta.c.value).where(meta.c.key == VERSION_KEY))
        if found is not None and found != str(SCHEMA_VERSION):
            raise SchemaVersionError(
                f"The class database {where} has schema version {found}, but this rnnviz reads version "
                f"{SCHEMA_VERSION}. It was made by another rnnviz: run that one, or point RNNVIZ_DATABASE_URL at a "
                "new database (class mode stays off until then; the labs work)."
            )
    metadata.create_all(conn, checkfirst=True)
    if found is None:
        conn.execute(sa.insert(meta).values(key=VERSION_KEY, value=str(SCHEMA_VERSION)))

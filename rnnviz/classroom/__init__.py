"""Class mode's storage: a teacher's class, its students, their answers and the live run's snapshots, in one database
(SQLite in the cache folder, or PostgreSQL at ``$RNNVIZ_DATABASE_URL`` for several replicas), so every process
behind the proxy sees the same class. Every action is committed before it returns: what the UI shows as done is
written. No streamlit here; ``store.ClassStore`` is the entry point.
"""

from rnnviz.classroom.errors import ClassError, SchemaVersionError, StoreUnavailable
from rnnviz.classroom.records import ClassState, Member, Snapshot
from rnnviz.classroom.settings import ClassroomSettings
from rnnviz.classroom.store import ClassStore

__all__ = [
    "ClassError",
    "ClassState",
    "ClassStore",
    "ClassroomSettings",
    "Member",
    "SchemaVersionError",
    "Snapshot",
    "StoreUnavailable",
]

"""What the store hands back: plain frozen records (no database rows escape ``store.py``), so the UI and the tests
read attributes and never hold a connection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True, kw_only=True)
class ClassState:
    """Where a class stands: what a student's phone polls to follow the teacher."""

    code: str
    lesson: str
    step: int
    phase: str  # "answering", "running" or "revealed" (schema.PHASES)
    values: dict  # the teacher's values for the step's controls (JSON data): the question is asked about them
    revealed: frozenset[str]  # the question keys the teacher has revealed: no answer to them is taken any more
    closed: bool
    expired: bool
    kept: bool
    created_at: float  # seconds since the epoch, UTC
    expires_at: float


@dataclass(frozen=True, kw_only=True)
class Member:
    """A student in a class; ``nickname`` is None for an anonymous one."""

    id: str
    nickname: str | None
    joined_at: float


class Snapshot(NamedTuple):
    """The latest published snapshot of a step's run: ``sequence, payload, status = store.latest_snapshot(...)``."""

    sequence: int  # grows by one per publish: a viewer that has drawn this sequence can skip the work
    payload: Any  # the JSON-able dict the teacher's LiveJob.snapshot() gave
    status: str  # "running", "finished" or "stopped" (schema.RUN_STATUSES)
    published_at: float  # seconds since the epoch: a "running" snapshot that stays old means the teacher's run stopped

"""``ClassStore``: every read and write of class mode, each one transaction committed before the method returns.

What a student or the teacher did is in the database when the call returns, so the UI shows an action as done only
once it is written, and every process (SQLite) or replica (PostgreSQL) sees it on its next read. Refusals raise
``ClassError`` inside the transaction, which rolls back: a refused request changes nothing. A database that cannot be
used raises ``StoreUnavailable``.

Who may do what: anybody with the code joins (``join``) and reads the class (``class_state``, ``latest_snapshot``,
the counts); a member answers (``answer``) with the id ``join`` gave; only the teacher's secret, given back by
``create_class``, moves the class (``set_step``, ``set_phase``, ``reveal``, ``publish_snapshot``, ``close_class``,
``keep_class``) and downloads the answers (``export_csv``). A class whose time is up (``expires_at``) or that the
teacher closed takes no more joins, answers or moves, but its teacher may still keep it or export it until
``purge_expired`` deletes it (unless kept).

The cheap reads a phone repeats every second (``snapshot_sequence``, ``latest_snapshot``, ``answered_count``) read one
table by its key and do not check the class: an unknown code reads as nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection, Row

from rnnviz.classroom.codes import (
    CODE_LENGTH,
    hash_secret,
    new_code,
    new_member_id,
    new_teacher_secret,
    normalise_code,
    secret_matches,
)
from rnnviz.classroom.engine import WRITE_OPTION, describe, make_engine, parse_url, unavailable_as_error
from rnnviz.classroom.errors import ClassError, StoreUnavailable
from rnnviz.classroom.export import CsvWords, answers_csv
from rnnviz.classroom.nicknames import clean_nickname
from rnnviz.classroom.records import ClassState, Member, Snapshot
from rnnviz.classroom.schema import (
    CLASS_TABLES,
    PHASES,
    RUN_STATUSES,
    classes,
    ensure_schema,
    members,
    reveals,
    snapshots,
)
from rnnviz.classroom.schema import answers as answers_table  # ``answers`` is export_csv's right answers
from rnnviz.classroom.settings import ClassroomSettings, database_url

_OPTION = answers_table.c.option_index
_CODE_TRIES = 8  # a fresh code is taken with odds of (live classes / 191 million): 8 tries never all collide


class SharedReads:
    """Answers to the reads every student's page repeats, kept ``seconds`` for every session of this process (the
    answers are immutable records). ``forget`` drops them all: a write in this process is seen by the next read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._kept: dict[tuple, tuple[float, Any]] = {}
        self._generation = 0  # one more at each forget: a read that a write overtook is not kept

    def get(self, key: tuple, read: Callable[[], Any]) -> Any:
        if self.seconds <= 0:
            return read()
        now = time.monotonic()
        with self._lock:
            kept, generation = self._kept.get(key), self._generation
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        value = read()  # a refusal (ClassError) is raised each time, never kept
        with self._lock:
            if generation == self._generation:
                if len(self._kept) >= 1024:  # codes typed wrong, old steps: never more than a small table
                    self._kept.clear()
                self._kept[key] = (now, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
            self._generation += 1


class ClassStore:
    """The class database. ``url``: the argument, else ``$RNNVIZ_DATABASE_URL``, else SQLite in the cache folder.
    Opening checks the schema version (``SchemaVersionError``) and creates the tables of a new database; a database
    that cannot be reached or written raises ``StoreUnavailable`` here or at any later call. ``clock`` gives seconds
    since the epoch (tests pass their own)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        settings: ClassroomSettings | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings or ClassroomSettings()
        self.settings.validate()
        self._clock = clock
        self._shared = SharedReads(self.settings.shared_read_s)
        parsed = parse_url(database_url(url))
        self.where = describe(parsed)
        self._engine = make_engine(parsed, self.settings)
        self._writer = self._engine.execution_options(**{WRITE_OPTION: True})
        try:
            with self._write() as conn:
                ensure_schema(conn, self.where)
        except BaseException:
            self._engine.dispose()
            raise

    @property
    def backend(self) -> str:
        """The database's kind: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close the pooled connections (a later call opens new ones)."""
        self._engine.dispose()

    def __enter__(self) -> ClassStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with unavailable_as_error(self.where), self._writer.begin() as conn:
                yield conn
        finally:
            self._shared.forget()  # this process's own write is seen at once by its next read

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with unavailable_as_error(self.where), self._engine.connect() as conn:
            yield conn

    # --- checks, inside a transaction ------------------------------------------------------------------------------

    def _code(self, typed: str) -> str:
        code = normalise_code(typed)
        if code is None:
            raise ClassError(
                "bad_code",
                f"{str(typed)[:20]!r} is not a class code: a class code is {CODE_LENGTH} letters and digits.",
            )
        return code

    def _class(self, conn: Connection, typed: str, *, lock: bool = False, usable: bool = True) -> Row:
        """The class's row (locked for the transaction with ``lock``); ``usable``: refuse a closed or expired one."""
        code = self._code(typed)
        query = sa.select(classes).where(classes.c.code == code)
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise ClassError("unknown_class", f"No class has the code {code}: check it with your teacher.")
        return self._usable(row) if usable else row

    def _usable(self, row: Row) -> Row:
        """The row of a class still open: refuse a closed or expired one."""
        if row.closed:
            raise ClassError("closed", f"Class {row.code} has been closed by its teacher.")
        if self._clock() >= row.expires_at:
            raise ClassError("expired", f"Class {row.code} has ended: its time is up.")
        return row

    def _teacher(self, conn: Connection, code: str, secret: str, *, usable: bool = True, lock: bool = True) -> Row:
        """The class's row (locked, unless ``lock=False`` for a read) when ``secret`` is its teacher's; else
        ``ClassError("not_teacher")``."""
        row = self._class(conn, code, lock=lock, usable=False)
        if not secret_matches(secret, row.secret_hash):
            raise ClassError("not_teacher", f"Only the teacher of class {row.code} can do that.")
        return self._usable(row) if usable else row

    def _key(self, key: str, what: str) -> str:
        if not isinstance(key, str) or not key.strip() or len(key) > self.settings.key_length:
            raise ClassError(f"bad_{what}", f"A {what} key is text of 1 to {self.settings.key_length} characters.")
        return key

    def _step(self, step: int) -> int:
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step < self.settings.max_steps:
            raise ClassError("bad_step", f"A step is a number from 0 to {self.settings.max_steps - 1}.")
        return step

    def _member(self, conn: Connection, code: str, member_id: str) -> Row:
        row = None
        if isinstance(member_id, str) and len(member_id) <= 64:
            query = sa.select(members).where(members.c.id == member_id, members.c.class_code == code)
            row = conn.execute(query).first()
        if row is None:
            raise ClassError("unknown_member", f"You are not a member of class {code}: join it again.")
        return row

    # --- the teacher -----------------------------------------------------------------------------------------------

    def create_class(self, lesson: str, *, hours: float | None = None) -> tuple[str, str]:
        """A new class on ``lesson``, open for ``hours`` (default 12): its join code and the teacher's secret (shown to
        the teacher once; the database keeps only its hash). Raises ``ClassError("bad_hours" | "bad_lesson")``."""
        lesson = self._key(lesson, "lesson")
        hours = self.settings.default_hours if hours is None else hours
        if not isinstance(hours, int | float) or isinstance(hours, bool) or not 0 < hours <= self.settings.max_hours:
            raise ClassError("bad_hours", f"A class lasts more than 0 and at most {self.settings.max_hours:g} hours.")
        secret = new_teacher_secret()
        now = self._clock()
        row = dict(
            secret_hash=hash_secret(secret),
            lesson=lesson,
            step=0,
            phase=PHASES[0],
            step_values="{}",
            created_at=now,
            expires_at=now + hours * 3600.0,
            kept=False,
            closed=False,
        )
        with unavailable_as_error(self.where):
            for _ in range(_CODE_TRIES):
                code = new_code()
                try:
                    with self._writer.begin() as conn:
                        conn.execute(sa.insert(classes).values(code=code, **row))
                    return code, secret
                except exc.IntegrityError:  # the code is taken: draw another
                    continue
        raise StoreUnavailable(f"The class database {self.where} has no free class code after {_CODE_TRIES} tries.")

    def is_teacher(self, code: str, secret: str) -> bool:
        """Whether ``secret`` is the teacher's of this class (also once closed or expired). Raises ``ClassError`` for
        a wrong code."""
        with self._read() as conn:
            row = self._class(conn, code, usable=False)
        return secret_matches(secret, row.secret_hash)

    def set_step(self, code: str, secret: str, step: int, values: Mapping[str, Any] | None = None) -> None:
        """Move the class to step ``step`` (from 0), back to answering, with the step's control values (none: the
        step's defaults): "Next step" for everyone."""
        step = self._step(step)
        text = self._values(values or {})
        with self._write() as conn:
            row = self._teacher(conn, code, secret)
            conn.execute(
                sa.update(classes)
                .where(classes.c.code == row.code)
                .values(step=step, phase=PHASES[0], step_values=text)
            )

    def set_values(self, code: str, secret: str, values: Mapping[str, Any]) -> None:
        """The teacher's values for the current step's controls (JSON data), which every student's question reads.
        Refused with ``ClassError("not_answering")`` once the run has started: the class predicted these values."""
        text = self._values(values)
        with self._write() as conn:
            row = self._teacher(conn, code, secret)
            if row.phase != PHASES[0]:
                raise ClassError("not_answering", "The settings are fixed once the step's run has started.")
            conn.execute(sa.update(classes).where(classes.c.code == row.code).values(step_values=text))

    def _values(self, values: Mapping[str, Any]) -> str:
        try:
            text = json.dumps(dict(values), separators=(",", ":"), sort_keys=True)
        except (TypeError, ValueError) as error:
            raise ClassError("bad_values", f"A step's values must be plain JSON data: {error}") from error
        if len(text) > self.settings.key_length * 20:
            raise ClassError("bad_values", f"A step's values are {len(text):,} characters: too many.")
        return text

    def set_phase(self, code: str, secret: str, phase: str) -> None:
        """Set the step's phase to "answering" or "running" ("revealed" only through ``reveal``, which closes the
        question to answers)."""
        if phase not in PHASES[:2]:
            raise ClassError("bad_phase", f"The phase is one of {', '.join(PHASES[:2])} (reveal() reveals).")
        with self._write() as conn:
            row = self._teacher(conn, code, secret)
            conn.execute(sa.update(classes).where(classes.c.code == row.code).values(phase=phase))

    def start_run(self, code: str, secret: str) -> None:
        """The teacher starts the step's experiment: the class's phase becomes "running"."""
        self.set_phase(code, secret, "running")

    def reveal(self, code: str, secret: str, question_key: str) -> None:
        """Reveal the answer to ``question_key``: the phase becomes "revealed" and no answer to it is taken from now
        on (the last one each student gave before counts)."""
        question_key = self._key(question_key, "question")
        with self._write() as conn:
            row = self._teacher(conn, code, secret)
            done = conn.execute(
                sa.select(reveals.c.question_key).where(
                    reveals.c.class_code == row.code, reveals.c.question_key == question_key
                )
            ).first()
            if done is None:
                conn.execute(
                    sa.insert(reveals).values(class_code=row.code, question_key=question_key, revealed_at=self._clock())
                )
            conn.execute(sa.update(classes).where(classes.c.code == row.code).values(phase="revealed"))

    def publish_snapshot(self, code: str, secret: str, step: int, payload: Any, status: str = "running") -> int:
        """Publish the step's run's latest snapshot (a JSON-able dict) with its ``status`` ("running", "finished",
        "stopped"); it replaces the step's previous one. Returns its sequence number, one more than the last. Publish
        at most about once a second (``throttle.SnapshotThrottle``). Raises ``ClassError`` for a payload that is not
        JSON or is larger than the cap, a wrong status or step, or the usual code and secret refusals."""
        if status not in RUN_STATUSES:
            raise ClassError("bad_status", f"A run's status is one of {', '.join(RUN_STATUSES)}.")
        step = self._step(step)
        try:
            text = json.dumps(payload, separators=(",", ":"))
        except (TypeError, ValueError) as error:
            raise ClassError("bad_payload", f"A snapshot must be plain JSON data: {error}") from error
        if len(text) > self.settings.max_snapshot_bytes:
            raise ClassError(
                "too_large", f"A snapshot is {len(text):,} bytes; at most {self.settings.max_snapshot_bytes:,}."
            )
        with self._write() as conn:
            row = self._teacher(conn, code, secret)
            key = (snapshots.c.class_code == row.code) & (snapshots.c.step == step)
            last = conn.scalar(sa.select(snapshots.c.sequence).where(key))
            values = dict(payload=text, status=status, published_at=self._clock())
            if last is None:
                sequence = 1
                conn.execute(sa.insert(snapshots).values(class_code=row.code, step=step, sequence=sequence, **values))
            else:
                sequence = last + 1
                conn.execute(sa.update(snapshots).where(key).values(sequence=sequence, **values))
        return sequence

    def close_class(self, code: str, secret: str) -> None:
        """Close the class: no more joins, answers or moves. Its data stays until it expires (or for good if kept),
        so the teacher can still export it. Closing twice is fine."""
        with self._write() as conn:
            row = self._teacher(conn, code, secret, usable=False)
            conn.execute(sa.update(classes).where(classes.c.code == row.code).values(closed=True))

    def keep_class(self, code: str, secret: str, keep: bool = True) -> None:
        """Keep the class's data past its expiry (``purge_expired`` leaves it), or no longer (``keep=False``)."""
        with self._write() as conn:
            row = self._teacher(conn, code, secret, usable=False)
            conn.execute(sa.update(classes).where(classes.c.code == row.code).values(kept=bool(keep)))

    def export_csv(self, code: str, secret: str, answers: Mapping[str, int], words: CsvWords = CsvWords()) -> str:
        """The class's answers as CSV (``export.answers_csv``, in ``words``): ``answers`` maps each question key to
        its right option. Works on a closed or expired class until it is purged."""
        with self._read() as conn:
            row = self._teacher(conn, code, secret, usable=False, lock=False)
            students = conn.execute(
                sa.select(members.c.id, members.c.nickname)
                .where(members.c.class_code == row.code)
                .order_by(members.c.number)
            ).all()
            given = conn.execute(
                sa.select(answers_table.c.member_id, answers_table.c.question_key, _OPTION)
                .where(answers_table.c.class_code == row.code)
                .order_by(answers_table.c.answered_at)
            ).all()
        return answers_csv(
            students=[tuple(s) for s in students], answers=[tuple(a) for a in given], right=answers, words=words
        )

    # --- students --------------------------------------------------------------------------------------------------

    def join(self, code: str, nickname: str | None = None) -> str:
        """Join the class (the nickname cleaned: ``nicknames.clean_nickname``; None or blank: anonymous). Returns the
        member id to answer and rejoin with. Raises ``ClassError`` for a wrong, closed, expired or full class."""
        nickname = clean_nickname(nickname, max_length=self.settings.nickname_length)
        with self._write() as conn:
            row = self._class(conn, code, lock=True)
            count = conn.scalar(sa.select(sa.func.count()).where(members.c.class_code == row.code))
            if count >= self.settings.max_members:
                raise ClassError("full", f"Class {row.code} is full ({self.settings.max_members} students).")
            member_id = new_member_id()
            conn.execute(
                sa.insert(members).values(
                    id=member_id, class_code=row.code, nickname=nickname, number=count + 1, joined_at=self._clock()
                )
            )
        return member_id

    def rejoin(self, code: str, member_id: str) -> Member:
        """The member ``member_id`` of the class, back after a reload. Raises ``ClassError("unknown_member")`` for an
        id not of this class, and the class's own refusals."""
        with self._read() as conn:
            row = self._class(conn, code)
            member = self._member(conn, row.code, member_id)
        return Member(id=member.id, nickname=member.nickname, joined_at=member.joined_at)

    def answer(self, code: str, member_id: str, question_key: str, option: int) -> None:
        """Record the member's answer to ``question_key`` (option counted from 0), replacing any earlier one: the
        last answer before the reveal counts. Raises ``ClassError("revealed")`` once the question is revealed, and
        for a wrong option, member or class."""
        question_key = self._key(question_key, "question")
        limit = self.settings.max_options
        if not isinstance(option, int) or isinstance(option, bool) or not 0 <= option < limit:
            raise ClassError("bad_option", f"An option is a number from 0 to {limit - 1}.")
        with self._write() as conn:
            row = self._class(conn, code, lock=True)  # the reveal takes the same lock: an answer is before or after
            self._member(conn, row.code, member_id)
            revealed = conn.execute(
                sa.select(reveals.c.question_key).where(
                    reveals.c.class_code == row.code, reveals.c.question_key == question_key
                )
            ).first()
            if revealed is not None:
                raise ClassError("revealed", "The answer has been revealed: answers are closed for this question.")
            key = (
                (answers_table.c.class_code == row.code)
                & (answers_table.c.question_key == question_key)
                & (answers_table.c.member_id == member_id)
            )
            values = dict(option_index=option, answered_at=self._clock())
            if conn.execute(sa.update(answers_table).where(key).values(**values)).rowcount == 0:
                conn.execute(
                    sa.insert(answers_table).values(
                        class_code=row.code, question_key=question_key, member_id=member_id, **values
                    )
                )

    # --- reads -----------------------------------------------------------------------------------------------------

    def class_state(self, code: str) -> ClassState:
        """Where the class stands (also once closed or expired: see ``closed`` and ``expired``). Raises ``ClassError``
        for a wrong code. Shared by this process's sessions for ``settings.shared_read_s``."""
        return self._shared.get(("class", code), lambda: self._class_state(code))

    def _class_state(self, code: str) -> ClassState:
        with self._read() as conn:
            row = self._class(conn, code, usable=False)
            revealed = conn.scalars(sa.select(reveals.c.question_key).where(reveals.c.class_code == row.code)).all()
        return ClassState(
            code=row.code,
            lesson=row.lesson,
            step=row.step,
            phase=row.phase,
            values=json.loads(row.step_values),
            revealed=frozenset(revealed),
            closed=bool(row.closed),
            expired=self._clock() >= row.expires_at,
            kept=bool(row.kept),
            created_at=row.created_at,
            expires_at=row.expires_at,
        )

    def answers_summary(self, code: str, question_key: str) -> dict[int, int]:
        """How many members chose each option of ``question_key`` (options nobody chose are absent), for the bar
        chart."""
        code, question_key = self._code(code), self._key(question_key, "question")
        with self._read() as conn:
            rows = conn.execute(
                sa.select(_OPTION, sa.func.count())
                .where(answers_table.c.class_code == code, answers_table.c.question_key == question_key)
                .group_by(_OPTION)
                .order_by(_OPTION)
            ).all()
        return {option: count for option, count in rows}

    def answered_count(self, code: str, question_key: str) -> int:
        """How many members have answered ``question_key``."""
        code, question_key = self._code(code), self._key(question_key, "question")
        with self._read() as conn:
            return conn.scalar(
                sa.select(sa.func.count()).where(
                    answers_table.c.class_code == code, answers_table.c.question_key == question_key
                )
            )

    def my_answers(self, code: str, member_id: str) -> dict[str, int]:
        """The answers a member has given so far, by question key: what a reloaded page shows as locked in."""
        code = self._code(code)
        with self._read() as conn:
            rows = conn.execute(
                sa.select(answers_table.c.question_key, _OPTION).where(
                    answers_table.c.class_code == code, answers_table.c.member_id == member_id
                )
            ).all()
        return {question: option for question, option in rows}

    def member_count(self, code: str) -> int:
        """How many members have joined."""
        code = self._code(code)
        with self._read() as conn:
            return conn.scalar(sa.select(sa.func.count()).where(members.c.class_code == code))

    def snapshot_sequence(self, code: str, step: int) -> int | None:
        """The sequence number of the step's latest snapshot, None before the first: one integer, read by its key,
        for a viewer to see whether there is anything new to draw. Shared by this process's sessions for
        ``settings.shared_read_s``."""
        code, step = self._code(code), self._step(step)
        return self._shared.get(("sequence", code, step), lambda: self._snapshot_sequence(code, step))

    def _snapshot_sequence(self, code: str, step: int) -> int | None:
        with self._read() as conn:
            return conn.scalar(
                sa.select(snapshots.c.sequence).where(snapshots.c.class_code == code, snapshots.c.step == step)
            )

    def latest_snapshot(self, code: str, step: int) -> Snapshot | None:
        """The step's latest snapshot as ``(sequence, payload, status)``, None before the first."""
        code, step = self._code(code), self._step(step)
        with self._read() as conn:
            row = conn.execute(
                sa.select(
                    snapshots.c.sequence, snapshots.c.payload, snapshots.c.status, snapshots.c.published_at
                ).where(snapshots.c.class_code == code, snapshots.c.step == step)
            ).first()
        if row is None:
            return None
        return Snapshot(row.sequence, json.loads(row.payload), row.status, row.published_at)

    # --- housekeeping ----------------------------------------------------------------------------------------------

    def purge_expired(self, now: float | None = None) -> int:
        """Delete every expired class that is not kept, with its members, answers, reveals and snapshots. Returns how
        many classes went."""
        now = self._clock() if now is None else now
        with self._write() as conn:
            doomed = conn.scalars(  # locked: a teacher keeping a class meanwhile waits, then finds it gone or kept
                sa.select(classes.c.code)
                .where(classes.c.expires_at <= now, classes.c.kept.is_(False))
                .with_for_update()
            ).all()
            for table in (*CLASS_TABLES, classes):
                column = classes.c.code if table is classes else table.c.class_code
                conn.execute(sa.delete(table).where(column.in_(doomed)))
        return len(doomed)

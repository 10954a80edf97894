"""The class store, every test run on SQLite (a file in tmp_path) and on a real PostgreSQL (ids with "postgres")."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from rnnviz.classroom import ClassError, ClassroomSettings, ClassStore, SchemaVersionError, StoreUnavailable
from rnnviz.classroom.schema import SCHEMA_VERSION, answers, members, meta, snapshots

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/classroom.sqlite3"
    return request.getfixturevalue("postgres_cluster").fresh_url()


@pytest.fixture
def store(url, clock):
    with ClassStore(url, clock=clock) as opened:
        yield opened


@pytest.fixture
def lesson(store):
    """A class on a lesson, its teacher's secret and two students."""
    code, secret = store.create_class("forgetting")
    return code, secret, store.join(code, "Ada"), store.join(code, "Bo")


def raises(reason: str):
    return pytest.raises(ClassError, check=lambda error: error.reason == reason)


def rows(url: str, table: sa.Table) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        count = conn.scalar(sa.select(sa.func.count()).select_from(table))
    engine.dispose()
    return count


# --- joining --------------------------------------------------------------------------------------------------------


def test_a_class_is_created_joined_and_rejoined(store, clock):
    code, secret = store.create_class("forgetting")
    state = store.class_state(code)
    assert (state.lesson, state.step, state.phase, state.closed, state.expired, state.kept) == (
        "forgetting",
        0,
        "answering",
        False,
        False,
        False,
    )
    assert state.expires_at - state.created_at == 12 * 3600
    member = store.join(code.lower(), "  Ada ")  # a code typed in lower case
    again = store.rejoin(code, member)
    assert (again.id, again.nickname, again.joined_at) == (member, "Ada", clock.now)
    assert store.member_count(code) == 1
    assert store.is_teacher(code, secret) and not store.is_teacher(code, member)
    with raises("unknown_member"):
        store.rejoin(code, "not-a-member")
    other, _ = store.create_class("forgetting")
    with raises("unknown_member"):  # a member of one class is not a member of another
        store.rejoin(other, member)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (None, None),
        ("", None),
        ("x" * 10_000, "x" * 40),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("# Title\n**bold** `code`", "# Title **bold** `code`"),
        ("\x00nul\x1b", "nul"),
    ],
    ids=["none", "empty", "10000-chars", "html", "markdown", "control"],
)
def test_nicknames_are_stored_as_capped_plain_text(store, typed, kept):
    code, _ = store.create_class("forgetting")
    assert store.rejoin(code, store.join(code, typed)).nickname == kept


def test_wrong_expired_and_closed_codes_are_refused_with_distinct_messages(store, clock):
    messages = {}
    with raises("bad_code") as bad:
        store.join("abc")
    messages["bad_code"] = str(bad.value)
    with raises("unknown_class") as unknown:
        store.join("AAAAAA")
    messages["unknown_class"] = str(unknown.value)
    assert "AAAAAA" in messages["unknown_class"]

    code, secret = store.create_class("forgetting", hours=1)
    member = store.join(code)
    clock.advance(1)
    with raises("expired") as expired:
        store.join(code)
    messages["expired"] = str(expired.value)
    for refused in (
        lambda: store.rejoin(code, member),
        lambda: store.answer(code, member, "bptt", 0),
        lambda: store.set_step(code, secret, 1),
        lambda: store.publish_snapshot(code, secret, 0, {}),
    ):
        with raises("expired"):
            refused()
    assert store.class_state(code).expired

    code, secret = store.create_class("forgetting")
    member = store.join(code)
    store.close_class(code, secret)
    store.close_class(code, secret)  # twice is fine
    with raises("closed") as closed:
        store.join(code)
    messages["closed"] = str(closed.value)
    with raises("closed"):
        store.answer(code, member, "bptt", 0)
    with raises("closed"):
        store.start_run(code, secret)
    assert store.class_state(code).closed
    assert len(set(messages.values())) == 4, messages
    assert "forgetting" not in " ".join(messages.values())  # no message leaks what the class is about


def test_a_class_lasts_within_bounds(store):
    for hours in (0, -1, 24 * 365, "12", True, float("nan")):
        with raises("bad_hours"):
            store.create_class("forgetting", hours=hours)
    with raises("bad_lesson"):
        store.create_class("")


def test_a_full_class_takes_no_more_students(url, clock):
    with ClassStore(url, clock=clock, settings=ClassroomSettings(max_members=2)) as small:
        code, _ = small.create_class("forgetting")
        small.join(code)
        small.join(code)
        with raises("full"):
            small.join(code)


# --- the teacher's secret -------------------------------------------------------------------------------------------


def test_a_student_with_a_wrong_secret_cannot_act_as_teacher_and_nothing_changes(store, url, lesson):
    code, secret, ada, _ = lesson
    store.answer(code, ada, "bptt", 1)
    other_code, other_secret = store.create_class("forgetting")
    before = (store.class_state(code), store.answers_summary(code, "bptt"), store.latest_snapshot(code, 0))
    actions = [
        (store.set_step, 1),
        (store.set_phase, "running"),
        (store.start_run,),
        (store.reveal, "bptt"),
        (store.publish_snapshot, 0, {"loss": [1.0]}),
        (store.close_class,),
        (store.keep_class,),
        (store.export_csv, {"bptt": 2}),
    ]
    for wrong in (ada, "", None, secret[:-1], other_secret, secret.upper()):
        for action, *arguments in actions:
            with raises("not_teacher") as refused:
                action(code, wrong, *arguments)
            assert "teacher" in str(refused.value) and secret not in str(refused.value)
        assert not store.is_teacher(code, wrong)
    assert (store.class_state(code), store.answers_summary(code, "bptt"), store.latest_snapshot(code, 0)) == before
    store.answer(code, ada, "bptt", 2)  # still open to answers: no reveal went through
    assert store.is_teacher(other_code, other_secret)


def test_the_teacher_moves_the_class(store, lesson):
    code, secret, _, _ = lesson
    store.start_run(code, secret)
    assert store.class_state(code).phase == "running"
    store.reveal(code, secret, "bptt")
    state = store.class_state(code)
    assert (state.phase, state.revealed) == ("revealed", frozenset({"bptt"}))
    store.set_step(code, secret, 1)  # "Next step": everyone moves on, back to answering
    state = store.class_state(code)
    assert (state.step, state.phase, state.revealed) == (1, "answering", frozenset({"bptt"}))
    for phase in ("revealed", "done", ""):
        with raises("bad_phase"):
            store.set_phase(code, secret, phase)
    for step in (-1, 10_000, True, "2"):
        with raises("bad_step"):
            store.set_step(code, secret, step)


# --- answers --------------------------------------------------------------------------------------------------------


def test_the_last_answer_before_the_reveal_counts_and_none_after_it(store, lesson):
    code, secret, ada, bo = lesson
    store.answer(code, ada, "bptt", 0)
    store.answer(code, ada, "bptt", 2)  # changed her mind: the last one counts
    store.answer(code, bo, "bptt", 2)
    assert store.answers_summary(code, "bptt") == {2: 2}
    assert store.answered_count(code, "bptt") == 2
    store.reveal(code, secret, "bptt")
    with raises("revealed"):
        store.answer(code, ada, "bptt", 1)
    assert store.answers_summary(code, "bptt") == {2: 2}
    store.answer(code, ada, "check-1", 1)  # another question is still open
    store.reveal(code, secret, "bptt")  # revealing twice is fine
    assert store.answers_summary(code, "check-1") == {1: 1}
    assert store.answered_count(code, "nobody-answered") == 0 and store.answers_summary(code, "nobody-answered") == {}


def test_bad_answers_are_refused(store, lesson):
    code, _, ada, _ = lesson
    for option in (-1, 26, True, "1", 1.0):
        with raises("bad_option"):
            store.answer(code, ada, "bptt", option)
    with raises("bad_question"):
        store.answer(code, ada, "", 0)
    with raises("unknown_member"):
        store.answer(code, "somebody", "bptt", 0)
    assert store.answered_count(code, "bptt") == 0


def test_students_answering_at_once_are_all_counted(url, clock, lesson):
    code, _, _, _ = lesson

    def student(index: int, failures: list) -> None:
        try:
            with ClassStore(url, clock=clock) as own:  # a process of its own
                member = own.join(code, f"s{index}")
                for option in (0, 1, index % 3):
                    own.answer(code, member, "bptt", option)
        except Exception as error:  # reported by the assert below
            failures.append(error)

    failures: list = []
    threads = [threading.Thread(target=student, args=(index, failures)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with ClassStore(url, clock=clock) as reader:
        assert reader.answers_summary(code, "bptt") == {0: 2, 1: 2, 2: 2}


# --- snapshots ------------------------------------------------------------------------------------------------------


def test_snapshots_carry_a_growing_sequence(store, lesson):
    code, secret, _, _ = lesson
    assert store.latest_snapshot(code, 0) is None and store.snapshot_sequence(code, 0) is None
    payload = {"progress": 0.5, "loss": {"lstm": [2.1, 1.9, float("inf")]}, "text": "<b>α</b>"}
    assert store.publish_snapshot(code, secret, 0, payload) == 1
    assert store.publish_snapshot(code, secret, 0, {"progress": 0.9}) == 2
    sequence, latest, status, published_at = store.latest_snapshot(code, 0)
    assert (sequence, latest, status, published_at) == (2, {"progress": 0.9}, "running", store._clock())
    assert store.publish_snapshot(code, secret, 0, payload, "finished") == 3
    assert store.latest_snapshot(code, 0)[:3] == (3, payload, "finished")
    assert store.snapshot_sequence(code, 0) == 3
    assert store.publish_snapshot(code, secret, 1, {"step": 1}, "stopped") == 1  # each step counts on its own
    assert store.latest_snapshot(code, 0).sequence == 3
    assert store.latest_snapshot("AAAAAA", 0) is None  # a cheap read: no class, nothing to draw
    with raises("bad_status"):
        store.publish_snapshot(code, secret, 0, {}, "paused")
    with raises("bad_payload"):
        store.publish_snapshot(code, secret, 0, {"model": object()})
    assert store.snapshot_sequence(code, 0) == 3
    with raises("bad_step"):
        store.latest_snapshot(code, "0")
    with raises("bad_question"):
        store.answers_summary(code, None)


def test_a_snapshot_over_the_cap_is_refused(url, clock):
    with ClassStore(url, clock=clock, settings=ClassroomSettings(max_snapshot_bytes=100)) as small:
        code, secret = small.create_class("forgetting")
        with raises("too_large") as refused:
            small.publish_snapshot(code, secret, 0, {"loss": [1.0] * 100})
        assert "bytes" in str(refused.value)
        assert small.latest_snapshot(code, 0) is None


def test_two_stores_on_one_database_see_each_others_writes(url, clock):
    with ClassStore(url, clock=clock) as teacher_side, ClassStore(url, clock=clock) as student_side:
        code, secret = teacher_side.create_class("forgetting")
        member = student_side.join(code, "Ada")
        assert teacher_side.member_count(code) == 1
        student_side.answer(code, member, "bptt", 1)
        assert teacher_side.answers_summary(code, "bptt") == {1: 1}
        teacher_side.publish_snapshot(code, secret, 0, {"loss": [1.0]})
        assert student_side.latest_snapshot(code, 0)[:3] == (1, {"loss": [1.0]}, "running")
        teacher_side.reveal(code, secret, "bptt")
        with raises("revealed"):
            student_side.answer(code, member, "bptt", 0)
        teacher_side.set_step(code, secret, 2)
        assert student_side.class_state(code).step == 2


# --- export and housekeeping ----------------------------------------------------------------------------------------


def test_the_teacher_downloads_the_answers_as_csv(store, lesson, clock):
    code, secret, ada, bo = lesson
    anonymous = store.join(code)
    store.answer(code, ada, "bptt", 2)
    store.answer(code, bo, "bptt", 0)
    store.answer(code, anonymous, "bptt", 2)
    store.answer(code, ada, "check-1", 1)
    store.close_class(code, secret)
    clock.advance(24)  # closed and expired: the teacher still has the answers until they are purged
    table = list(csv.reader(io.StringIO(store.export_csv(code, secret, {"bptt": 2, "check-1": 0}))))
    blank = table.index([])
    per_question, per_student = table[:blank], table[blank + 1 :]
    assert ["bptt", "2", "2", "yes"] in per_question and ["bptt", "0", "1", "no"] in per_question
    assert ["check-1", "1", "1", "no"] in per_question
    assert per_student[0][-1] == "right answers (of 2)"
    assert per_student[1:] == [
        ["1", "Ada", "2", "yes", "1", "no", "1"],
        ["2", "Bo", "0", "no", "", "", "0"],
        ["3", "anonymous", "2", "yes", "", "", "1"],
    ]


def test_purge_deletes_expired_classes_unless_kept(store, url, clock):
    gone, gone_secret = store.create_class("forgetting", hours=1)
    kept, kept_secret = store.create_class("forgetting", hours=1)
    live, _ = store.create_class("forgetting", hours=12)
    for code, secret in ((gone, gone_secret), (kept, kept_secret)):
        member = store.join(code, "Ada")
        store.answer(code, member, "bptt", 1)
        store.publish_snapshot(code, secret, 0, {"loss": [1.0]})
    store.keep_class(kept, kept_secret)
    assert store.purge_expired() == 0  # nothing expired yet
    clock.advance(2)
    assert store.purge_expired() == 1
    with raises("unknown_class"):
        store.class_state(gone)
    assert store.class_state(kept).kept and store.class_state(kept).expired
    assert store.class_state(live).expired is False
    assert (rows(url, members), rows(url, answers), rows(url, snapshots)) == (1, 1, 1)  # only the kept class's
    store.keep_class(kept, kept_secret, keep=False)
    assert store.purge_expired(now=clock.now) == 1
    assert store.purge_expired(now=clock.now + 11 * 3600) == 1  # the live one, at its end
    assert (rows(url, members), rows(url, answers), rows(url, snapshots)) == (0, 0, 0)


# --- the database itself --------------------------------------------------------------------------------------------


def test_a_database_of_another_schema_version_is_refused_with_a_clear_message(url, clock):
    ClassStore(url, clock=clock).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.update(meta).values(value="1"))
    engine.dispose()
    with pytest.raises(SchemaVersionError) as refused:
        ClassStore(url, clock=clock)
    message = str(refused.value)
    assert f"schema version 1, but this rnnviz reads version {SCHEMA_VERSION}" in message
    assert "RNNVIZ_DATABASE_URL" in message and "Traceback" not in message
    assert isinstance(refused.value, StoreUnavailable)  # the UI shows it like any database trouble


def test_a_newer_database_is_refused_before_anything_is_created(url, clock):
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        meta.create(conn)
        conn.execute(sa.insert(meta).values(key="schema_version", value="7"))
    with pytest.raises(SchemaVersionError, match="schema version 7"):
        ClassStore(url, clock=clock)
    assert not sa.inspect(engine).has_table("rnnviz_classes")
    engine.dispose()


def read_only(url: str) -> str:
    """The same database, opened so that nothing can be written (root ignores file modes, so not by chmod)."""
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return url + "%20-cdefault_transaction_read_only%3Don"


def test_an_unwritable_database_raises_store_unavailable(url, clock):
    with ClassStore(url, clock=clock) as writable:
        code, secret = writable.create_class("forgetting")
        member = writable.join(code, "Ada")
    with ClassStore(read_only(url), clock=clock) as frozen:
        assert frozen.class_state(code).lesson == "forgetting"  # reading still works
        for write in (
            lambda: frozen.join(code, "Bo"),
            lambda: frozen.answer(code, member, "bptt", 1),
            lambda: frozen.create_class("forgetting"),
            lambda: frozen.publish_snapshot(code, secret, 0, {}),
            lambda: frozen.purge_expired(),
        ):
            with pytest.raises(StoreUnavailable) as refused:
                write()
            message = str(refused.value)
            assert message.startswith("The class database ") and "read-only" in message.replace("readonly", "read-only")
            assert "sqlalchemy" not in message.lower() and "[SQL:" not in message
            assert isinstance(refused.value.__cause__, sa.exc.SQLAlchemyError)  # kept for the log


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_database_that_cannot_be_reached_raises_store_unavailable(backend, tmp_path, request):
    if backend == "sqlite":
        (tmp_path / "a-file").write_text("not a folder")
        url = f"sqlite:///{tmp_path}/a-file/classroom.sqlite3"
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        url = f"postgresql://rnnviz@/postgres?host={cluster.folder}&port={cluster.port + 1}"  # no server there
    with pytest.raises(StoreUnavailable, match="^The class database .* cannot be "):
        ClassStore(url)


@pytest.mark.parametrize("url", ["not a url", "mysql://user@host/db", "sqlite://"])
def test_a_wrong_url_raises_store_unavailable(url):
    with pytest.raises(StoreUnavailable):
        ClassStore(url)


def test_sqlite_is_in_the_cache_folder_in_wal_mode_unless_a_url_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("RNNVIZ_DATABASE_URL", raising=False)
    monkeypatch.setenv("RNNVIZ_CACHE_DIR", str(tmp_path / "cache"))
    with ClassStore() as default:
        assert default.backend == "sqlite"
        default.create_class("forgetting")
    path = tmp_path / "cache" / "classroom.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    monkeypatch.setenv("RNNVIZ_DATABASE_URL", f"sqlite:///{tmp_path}/elsewhere.sqlite3")
    ClassStore().close()
    assert (tmp_path / "elsewhere.sqlite3").is_file()


def test_a_plain_postgresql_url_uses_psycopg(postgres_cluster):
    url = postgres_cluster.fresh_url().replace("postgresql+psycopg://", "postgresql://")
    with ClassStore(url) as store:
        assert store.backend == "postgresql"
        assert store._engine.dialect.driver == "psycopg"


# --- the step's values and a member's own answers --------------------------------------------------------------------


def test_the_teachers_values_reach_every_reader_and_are_fixed_once_the_run_starts(store, lesson):
    code, secret, student, _ = lesson
    assert store.class_state(code).values == {}
    store.set_values(code, secret, {"radius": 0.5})
    assert store.class_state(code).values == {"radius": 0.5}
    with raises("not_teacher"):
        store.set_values(code, "not-the-secret", {"radius": 2.0})
    store.start_run(code, secret)
    with raises("not_answering"):
        store.set_values(code, secret, {"radius": 0.9})
    assert store.class_state(code).values == {"radius": 0.5}
    with raises("bad_values"):
        store.set_values(code, secret, {"x": object()})
    store.set_step(code, secret, 1, {"forget_bias": 3})
    state = store.class_state(code)
    assert (state.step, state.phase, state.values) == (1, "answering", {"forget_bias": 3})
    store.set_step(code, secret, 2)
    assert store.class_state(code).values == {}


def test_a_member_reads_back_their_own_answers_only(store, lesson):
    code, secret, student, other = lesson
    assert store.my_answers(code, student) == {}
    store.answer(code, student, "bptt", 1)
    store.answer(code, student, "bptt", 2)
    store.answer(code, student, "check1", 0)
    store.answer(code, other, "bptt", 0)
    assert store.my_answers(code, student) == {"bptt": 2, "check1": 0}
    assert store.my_answers(code, other) == {"bptt": 0}
    assert store.my_answers(code, "someone-else") == {}


def test_a_classs_life_comes_from_the_environment_and_a_bad_value_is_named(monkeypatch):
    from rnnviz.classroom.settings import CLASS_HOURS_ENV, ClassroomSettings

    monkeypatch.delenv(CLASS_HOURS_ENV, raising=False)
    assert ClassroomSettings.from_environment().default_hours == 12.0
    monkeypatch.setenv(CLASS_HOURS_ENV, "2.5")
    assert ClassroomSettings.from_environment().default_hours == 2.5
    for bad in ("soon", "0", "-3", "10000"):
        monkeypatch.setenv(CLASS_HOURS_ENV, bad)
        with pytest.raises(ValueError, match=CLASS_HOURS_ENV):
            ClassroomSettings.from_environment()


# --- the reads a class's pages share ------------------------------------------------------------------------------


def test_the_polled_reads_are_shared_for_a_moment_and_forgotten_at_this_processs_own_write(url, clock):
    settings = ClassroomSettings(shared_read_s=60.0)
    with ClassStore(url, clock=clock, settings=settings) as shared, ClassStore(url, clock=clock) as other_replica:
        code, secret = shared.create_class("forgetting")
        assert shared.class_state(code).step == 0 and shared.snapshot_sequence(code, 0) is None
        other_replica.set_step(code, secret, 1)  # another process's write: seen once the moment has passed
        other_replica.publish_snapshot(code, secret, 0, {"progress": 0.5})
        assert shared.class_state(code).step == 0 and shared.snapshot_sequence(code, 0) is None
        shared.set_step(code, secret, 2)  # this process's own write: seen at once
        assert shared.class_state(code).step == 2 and shared.snapshot_sequence(code, 0) == 1
        with raises("unknown_class"):
            shared.class_state("ZZZZZZ")  # a refusal is never kept
        with raises("unknown_class"):
            shared.class_state("ZZZZZZ")
    with ClassStore(url, clock=clock) as unshared, ClassStore(url, clock=clock) as writer:  # the default, 0: none
        assert unshared.class_state(code).step == 2
        writer.set_step(code, secret, 3)
        assert unshared.class_state(code).step == 3

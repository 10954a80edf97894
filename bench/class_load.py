"""One teacher and N students in a class, on this machine: how long a snapshot of the teacher's run takes to reach a
student's session, whether the class slows the teacher's training, and whether anything is lost.

    python bench/class_load.py --students 10 30 [--replicas 2] [--database-url URL] [--json]

The teacher and every student are Streamlit sessions of their own, driven by ``streamlit_session.StreamlitSession``
(a websocket client that speaks Streamlit's protocol, clicks widgets by key and runs the page's timed fragments as a
browser does, and draws nothing). For each N:

1. a class on "Why a plain RNN forgets" at its adding-task step (a live run, the lesson's own settings);
2. the N students open the join link, type a nickname and click Join, pick an option and click Lock in, all through
   the page, as phones would; then they sit on the page, polling as their browsers would;
3. the teacher clicks "Run for the class"; the run trains in the teacher's server process and publishes a snapshot
   at most once a second; the benchmark notes when each snapshot was published (read from the database);
4. when the run has finished: ``delay_s``, per published snapshot and student, from its publication until that
   student's page (or the fragment of it that follows the class and draws the run) had next finished a run;
   ``teacher_speed_ratio``, the run's wall time with no class (the same run, measured first with no student) over
   its time with the class; the joins and answers the students sent against those the database holds
   (``dropped``); each replica's resident memory; the database writes per second over the class (joins, answers,
   snapshots).

With ``--replicas 2`` two servers run behind deploy/nginx.conf on loopback; each session has its own affinity
cookie, so the students spread over both replicas, the teacher on one of them. The database is a SQLite file in a
temporary folder (WAL: the replicas on this one machine share it) unless ``--database-url`` names another (a
PostgreSQL server, as several machines would need).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from streamlit_session import StreamlitSession

from rnnviz.classroom import ClassStore
from rnnviz.lessons.catalogue import LESSONS
from rnnviz.testing.app_server import app_server
from rnnviz.testing.nginx_proxy import nginx_proxy

LESSON = LESSONS["forgetting"]
STEP = next(index for index, step in enumerate(LESSON.steps) if step.experiment.live)  # the adding task
JOINERS = 8  # students joining at once, as a room does in the first minute


def new_class(store: ClassStore) -> tuple[str, str]:
    code, secret = store.create_class(LESSON.key)
    step = LESSON.steps[STEP]
    store.set_step(code, secret, STEP, {control.key: control.default for control in step.controls})
    return code, secret


class Publications:
    """When each snapshot of the class's step was published, read from the database every 20 ms."""

    def __init__(self, store: ClassStore, code: str) -> None:
        self.store, self.code = store, code
        self.times: dict[int, float] = {}  # sequence -> perf_counter time of its publication
        self.status = None
        self._offset = time.time() - time.perf_counter()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.is_set():
            snapshot = self.store.latest_snapshot(self.code, STEP)
            if snapshot is not None:
                self.times.setdefault(snapshot.sequence, snapshot.published_at - self._offset)
                self.status = snapshot.status
            time.sleep(0.02)

    def wait_finished(self, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while self.status != "finished":
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the teacher's run did not finish within {timeout} s")
            time.sleep(0.05)
        self._done.set()


def teacher_run(base: str, store: ClassStore, code: str, secret: str, timeout: float) -> tuple[float, Publications]:
    """The teacher opens the class and clicks Run; seconds until the run's last snapshot says finished."""
    teacher = StreamlitSession(
        base, "Lessons", f"class={code}&teacher={secret}", cookie=f"rnnviz_replica={uuid.uuid4().hex}"
    )
    try:
        teacher.rerun()
        publications = Publications(store, code)
        started = time.perf_counter()
        teacher.click("class.start_run")
        publications.wait_finished(timeout)
        return time.perf_counter() - started, publications
    finally:
        teacher.close()


def student(base: str, code: str, number: int, options: int) -> tuple[StreamlitSession, bool, bool]:
    """A student joins and answers through the page; returns the session and whether each action was sent."""
    session = StreamlitSession(base, "Lessons", f"class={code}", cookie=f"rnnviz_replica={uuid.uuid4().hex}")
    session.rerun()
    session.type_and_click("class.nickname", f"student {number}", "class.join")
    joined = session.param("member") is not None
    question = LESSON.steps[STEP].key
    session.choose_and_click(f"class.q.{code}.{question}", number % options, f"class.lock.{question}")
    return session, joined, True


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(base: str, store: ClassStore, students: int, solo_s: float, servers, timeout: float) -> dict:
    code, secret = new_class(store)
    options = len(LESSON.steps[STEP].question.options)
    began = time.perf_counter()
    with ThreadPoolExecutor(JOINERS) as pool:
        joined = list(pool.map(lambda n: student(base, code, n, options), range(students)))
    sessions = [session for session, _, _ in joined]
    try:
        class_s, publications = teacher_run(base, store, code, secret, timeout)
        time.sleep(3.0)  # the last snapshot's redraws
        ended = time.perf_counter()
        delays = []
        for published in publications.times.values():
            for session in sessions:  # the page (or its follow fragment, which draws the run) redrawn after it
                after = sorted(t for t in session.full_runs + session.fragment_times if t >= published)
                delays.append((after[0] if after else ended) - published)
        stored_answers = sum(store.answers_summary(code, LESSON.steps[STEP].key).values())
        stored_joins = store.member_count(code)
        writes = stored_joins + stored_answers + max(publications.times, default=0)
        return {
            "students": students,
            "replicas": len(servers),
            "database": store.backend,
            "delay_s": {
                "median": round(statistics.median(delays), 3) if delays else None,
                "p95": round(percentile(delays, 0.95), 3) if delays else None,
                "max": round(max(delays), 3) if delays else None,
            },
            "snapshots_published": len(publications.times),
            "teacher_run_s": {"solo": round(solo_s, 1), "class": round(class_s, 1)},
            "teacher_speed_ratio": round(solo_s / class_s, 3),
            "joins_sent": sum(sent for _, sent, _ in joined),
            "joins_stored": stored_joins,
            "answers_sent": sum(sent for _, _, sent in joined),
            "answers_stored": stored_answers,
            "dropped": (students - stored_joins) + (students - stored_answers),
            "memory_mb": [round(server.rss_mb()) for server in servers],
            "db_writes_per_s": round(writes / (ended - began), 2),
        }
    finally:
        for session in sessions:
            session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--replicas", type=int, default=1, choices=(1, 2))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a run may take")
    parser.add_argument("--json", action="store_true", help="one JSON object per N, one per line")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rnnviz-class-load-"))
    url = args.database_url or f"sqlite:///{folder / 'classroom.sqlite3'}"
    env = {"RNNVIZ_DATABASE_URL": url, "RNNVIZ_PUBLIC_URL": "http://127.0.0.1"}
    with ExitStack() as stack:
        servers = [
            stack.enter_context(app_server(folder / f"replica-{n}.log", env_extra=env)) for n in range(args.replicas)
        ]
        base = servers[0].url
        if args.replicas > 1:
            hosts = [server.url.removeprefix("http://") for server in servers]
            base = stack.enter_context(nginx_proxy(hosts, folder / "nginx"))
        store = stack.enter_context(ClassStore(url))
        code, secret = new_class(store)
        solo_s, _ = teacher_run(base, store, code, secret, args.timeout)  # warm-up too: imports, the first run
        solo_s, _ = teacher_run(base, store, *new_class(store), args.timeout)
        for students in args.students:
            row = measure(base, store, students, solo_s, servers, args.timeout)
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(
                    f"{students:4d} students, {row['replicas']} replica(s): delay median {row['delay_s']['median']} s, "
                    f"p95 {row['delay_s']['p95']} s; teacher {row['teacher_speed_ratio']:.2f} of solo "
                    f"({row['teacher_run_s']['class']} s against {row['teacher_run_s']['solo']} s); "
                    f"dropped {row['dropped']}; memory {row['memory_mb']} MB; {row['db_writes_per_s']} writes/s",
                    flush=True,
                )


if __name__ == "__main__":
    sys.exit(main())

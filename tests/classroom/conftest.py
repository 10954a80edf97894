"""Fixtures of the class-mode tests: a clock the tests move, and a throwaway PostgreSQL cluster (one per session, in a
temp folder, on a Unix socket only; skipped with the reason when PostgreSQL's binaries are not installed)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest


class FakeClock:
    """Seconds since the epoch, moved by hand: expiry tests need no sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, hours: float) -> None:
        self.now += hours * 3600.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl: Debian's /usr/lib/postgresql/VERSION/bin (the newest), else the PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresCluster:
    folder: Path
    port: int

    def url(self, *options: str) -> str:
        """A URL of the cluster's ``postgres`` database, with libpq ``options`` (``-c name=value``)."""
        url = f"postgresql+psycopg://rnnviz@/postgres?host={self.folder}&port={self.port}"
        if options:
            url += "&options=" + "%20".join(option.replace("=", "%3D") for option in options)
        return url

    def fresh_url(self) -> str:
        """A URL onto a schema of its own (an empty database, as far as the store can tell): tests do not share rows."""
        import sqlalchemy as sa

        schema = f"t_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.url())
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        engine.dispose()
        return self.url(f"-csearch_path={schema}")


@pytest.fixture(scope="session")
def postgres_cluster():
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed (Debian: apt-get install postgresql)")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="rnnviz-pg-"))  # not under pytest's tmp: the postgres user must reach it
    if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as the postgres user
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=60)

    server_options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "rnnviz", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", server_options, "-l", str(folder / "log"), "-w", "start")
    except subprocess.CalledProcessError as error:
        log = (folder / "log").read_text() if (folder / "log").is_file() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"the throwaway PostgreSQL did not start: {error.stderr.decode()[-2000:]}\n{log[-2000:]}")
    try:
        yield PostgresCluster(folder=folder, port=port)
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "stop", "-m", "fast"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

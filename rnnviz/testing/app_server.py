"""Start the Streamlit app on a free loopback port and wait until it answers.

Used by the real-browser tests and the browser benchmarks, so both start the server the way
production does (headless, no file watcher).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout: app.py, pages/, .streamlit/


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class AppServer:
    url: str
    pid: int

    def rss_mb(self) -> float:
        """Resident memory of the server process (Linux /proc)."""
        return _status_field(self.pid, "VmRSS") / 1024


def _status_field(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def listens_on(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds the socket listening on loopback ``port`` (Linux /proc; True elsewhere)."""
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:] + Path("/proc/net/tcp6").read_text().splitlines()[1:]
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return True
    inodes = {f.split()[9] for f in lines if f.split()[3] == "0A" and int(f.split()[1].rsplit(":", 1)[1], 16) == port}
    owned = set()
    for fd in fds:
        try:
            owned.add(os.readlink(fd))
        except OSError:
            continue
    return any(f"socket:[{inode}]" in owned for inode in inodes)


def wait_until_healthy(url: str, timeout: float, process: subprocess.Popen, failure) -> None:
    """Until ``url``'s Streamlit health check answers "ok"; ``failure()`` is the message if the process exits or
    ``timeout`` seconds pass first."""
    deadline = time.time() + timeout
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError(failure()) from None
            time.sleep(0.2)


@contextlib.contextmanager
def app_server(
    log_path: Path,
    env_extra: dict | None = None,
    timeout: float = 60.0,
    extra_args: list | None = None,
    cpus: set[int] | None = None,
    root: Path = ROOT,
):
    """Yield the running app (``.url``, ``.pid``); stop its whole process group afterwards.

    ``cpus`` pins the server to those cores (Linux), so a benchmark can keep its browser off them; ``root``
    is the folder to serve ``app.py`` from (a copy of the files a container image holds, say).
    """
    port = free_port()
    env = dict(os.environ, **(env_extra or {}))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *(extra_args or []),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, timeout, server, lambda: f"the app did not start; see {log_path}")
            if not listens_on(server.pid, port):  # another process (a parallel test's server) took the free port
                raise RuntimeError(f"port {port} answered, but not from this app; see {log_path}")
            yield AppServer(url, server.pid)
        finally:
            with contextlib.suppress(ProcessLookupError):  # a test may have stopped this replica itself
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)

"""deploy/nginx.conf in front of app servers on loopback: for the replica test and the load test through a proxy.

The shipped configuration is used as it is, with the replicas' loopback addresses and a free port put in, and its
log and temporary files kept in a folder of the caller's (the access log names each request's affinity key and the
replica that answered it).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from pathlib import Path

from rnnviz.testing.app_server import ROOT, free_port, wait_until_healthy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_installed() -> bool:
    return Path(NGINX).exists()


def loopback_config(replicas: list[str], port: int, folder: Path) -> str:
    """The shipped configuration with loopback replicas and port, and its files kept in ``folder``."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(
        f"        server {url.removeprefix('http://')} max_fails=1 fail_timeout=10s;\n" for url in replicas
    )
    text = re.sub(r"(        server rnnviz-\d:8501[^\n]*\n)+", servers, text)
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    text = text.replace("access_log /dev/stdout replicas;", f"access_log {folder}/access.log replicas;")
    paths = "".join(
        f"    {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace("http {\n", "http {\n" + paths, 1)
    return f"daemon off;\nmaster_process off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n" + text


LOG_LINE = re.compile(r'^(?P<affinity>\S+) (?P<upstreams>.*?) "(?P<request>.*)" (?P<status>\d{3})$')


def answering_replica(upstreams: str) -> str | None:
    """The replica that answered a request, from nginx's ``$upstream_addr``: it lists every replica tried, in order,
    separated by ", " (the next replica after a failure) and " : " (an internal redirect), so a request that found
    its replica down and moved on reads "127.0.0.1:5001, 127.0.0.1:5002". The last one answered; "-" is none."""
    last = re.split(r", | : ", upstreams.strip())[-1]
    return None if last in ("", "-") else last


def replicas_hit(folder: Path, affinity: str) -> set[str]:
    """The replicas (host:port) that answered the browser with this affinity cookie, from the access log."""
    hit = set()
    for line in (folder / "access.log").read_text().splitlines():
        match = LOG_LINE.match(line)
        if match and match["affinity"] == affinity and (replica := answering_replica(match["upstreams"])):
            hit.add(replica)
    return hit


@contextlib.contextmanager
def nginx_proxy(replicas: list[str], folder: Path, timeout: float = 30.0):
    """Yield the proxy's URL once it answers a health check; stop nginx afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (folder / "nginx.conf").write_text(loopback_config(replicas, port, folder))
    proxy = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        error_log = folder / "error.log"
        wait_until_healthy(
            url, timeout, proxy, lambda: error_log.read_text() if error_log.exists() else "nginx did not start"
        )
        yield url
    finally:
        proxy.kill()
        proxy.wait(timeout=10)

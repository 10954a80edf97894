"""deploy/nginx.conf on loopback: two replicas behind nginx, each browser kept on one replica (websocket included),
a reload stays there, and when a replica stops its browsers move to the live one while the other's sessions go on."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from contextlib import ExitStack

import pytest
from helpers import ARTIFACTS, ROOT

from rnnviz.testing.app_server import app_server, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def loopback_config(replicas: list[str], port: int, folder) -> str:
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


def replicas_hit(folder, affinity: str) -> set[str]:
    lines = (folder / "access.log").read_text().splitlines()
    return {line.split()[1] for line in lines if line.startswith(affinity + " ")}


@pytest.mark.skipif(not shutil.which("nginx") and not shutil.os.path.exists(NGINX), reason="nginx is not installed")
def test_two_replicas_behind_nginx(chromium, tmp_path):
    with ExitStack() as stack:
        servers = [stack.enter_context(app_server(ARTIFACTS / f"replica-{i}.log")) for i in range(2)]
        port = free_port()
        (tmp_path / "nginx.conf").write_text(loopback_config([s.url for s in servers], port, tmp_path))
        proxy = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        stack.callback(proxy.kill)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            try:
                assert urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok"
                break
            except OSError:
                assert time.time() < deadline, (tmp_path / "error.log").read_text()
                time.sleep(0.2)

        def visit():
            context = chromium.new_context()
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            page.wait_for_selector(IDLE)
            assert page.locator("[data-testid='stException']").count() == 0
            cookie = next(c["value"] for c in context.cookies() if c["name"] == "rnnviz_replica")
            return context, page, cookie

        visitors = []
        for _ in range(8):  # until both replicas have a visitor
            visitors.append(visit())
            hits = {frozenset(replicas_hit(tmp_path, cookie)) for _, _, cookie in visitors}
            if len({replica for group in hits for replica in group}) == 2:
                break
        by_replica = {}
        for context, page, cookie in visitors:
            hit = replicas_hit(tmp_path, cookie)
            assert len(hit) == 1, hit  # every request of a browser, the websocket included, on one replica
            by_replica.setdefault(hit.pop(), (context, page, cookie))
        assert len(by_replica) == 2, "eight visitors all landed on one replica"
        (first, (_, page_a, cookie_a)), (second, (_, page_b, cookie_b)) = by_replica.items()
        page_a.reload()
        page_a.wait_for_selector(IDLE)
        assert replicas_hit(tmp_path, cookie_a) == {first}  # a reload stays on its replica

        stopped = servers[[s.url.removeprefix("http://") for s in servers].index(first)]
        assert stopped.pid > 1
        os.killpg(stopped.pid, signal.SIGTERM)  # its own process group (app_server starts a new session)
        time.sleep(1)
        page_b.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(has_text="Generate").first.click()
        page_b.wait_for_selector(IDLE)
        assert page_b.locator("[data-testid='stException']").count() == 0  # the other replica's session goes on
        _, page_c, cookie_c = visit()  # a new visitor reaches the live replica
        assert replicas_hit(tmp_path, cookie_c) <= {second, first} and second in replicas_hit(tmp_path, cookie_c)
        page_a.reload()  # the stopped replica's visitor moves to the live one
        page_a.wait_for_selector(IDLE)
        assert second in replicas_hit(tmp_path, cookie_a)

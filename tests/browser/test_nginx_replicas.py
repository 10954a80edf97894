"""deploy/nginx.conf on loopback: two replicas behind nginx, each browser kept on one replica (websocket included),
a reload stays there and finds its training run still going, and when a replica stops its browsers move to the live
one while the other's sessions go on."""

from __future__ import annotations

import os
import re
import signal
import time
from contextlib import ExitStack

import pytest
from helpers import ARTIFACTS

from rnnviz.testing.app_server import app_server
from rnnviz.testing.nginx_proxy import nginx_installed, nginx_proxy, replicas_hit

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _steps(page) -> int:
    match = re.search(r"step ([\d,]+) of", page.inner_text("body"))
    return int(match.group(1).replace(",", "")) if match else -1


@pytest.mark.skipif(not nginx_installed(), reason="nginx is not installed (.ci/run installs it)")
def test_two_replicas_behind_nginx(chromium, tmp_path):
    with ExitStack() as stack:
        servers = [stack.enter_context(app_server(ARTIFACTS / f"replica-{i}.log")) for i in range(2)]
        url = stack.enter_context(nginx_proxy([s.url for s in servers], tmp_path))

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
        page_a.goto(f"{url}/Attention?hidden=32&steps=5000")  # a run that outlasts the test
        page_a.wait_for_selector(IDLE)
        page_a.get_by_test_id("stButton").filter(has_text=re.compile("^Train$")).click()
        page_a.wait_for_selector("text=Training: step", timeout=60_000)
        page_a.reload()
        page_a.wait_for_selector(IDLE)
        assert replicas_hit(tmp_path, cookie_a) == {first}  # a reload stays on its replica
        page_a.wait_for_selector("text=Training: step", timeout=60_000)  # and finds its run, still training
        assert page_a.get_by_test_id("stButton").filter(has_text=re.compile("^Pause$")).count() == 1
        steps_before = _steps(page_a)
        page_a.wait_for_function(
            f"document.body.innerText.match(/step ([\\d,]+) of/) && "
            f"parseInt(document.body.innerText.match(/step ([\\d,]+) of/)[1].replace(/,/g, '')) "
            f"> {steps_before}",
            timeout=60_000,
        )

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

"""Class mode in Chromium behind deploy/nginx.conf: a teacher's browser on one replica, two students' browsers (one a
phone) on the other, one class database; the students join, predict, and see the teacher's run and the class's
answers after the teacher reveals, with nothing of the run computed on their replica.

Screenshots: test-artifacts/class-*.png (with RNNVIZ_UPDATE_DOCS=1 they replace docs/class-*.png)."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from contextlib import ExitStack

import pytest
from helpers import ARTIFACTS, ROOT
from playwright.sync_api import expect

from rnnviz.testing.app_server import app_server
from rnnviz.testing.chromium import PHONE, wait_idle
from rnnviz.testing.nginx_proxy import nginx_installed, nginx_proxy, replicas_hit

TRIES = 16  # affinity keys tried until a browser lands on the replica wanted (each lands on one of two at random)


def on_replica(chromium, url: str, folder, wanted: str | None, **context_options):
    """A browser context whose requests all reach ``wanted`` (None: any), and the replica it reached."""
    for _ in range(TRIES):
        context = chromium.new_context(**context_options)
        key = uuid.uuid4().hex
        host = url.removeprefix("http://").split(":")[0]
        context.add_cookies([{"name": "rnnviz_replica", "value": key, "domain": host, "path": "/"}])
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/_stcore/health")
        hit = replicas_hit(folder, key)
        if wanted is None or hit == {wanted}:
            return context, page, hit.pop()
        context.close()
    raise AssertionError(f"no affinity key of {TRIES} reached {wanted}")


def shot(page, name: str, full_page: bool = False) -> None:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("RNNVIZ_UPDATE_DOCS") == "1":
        shutil.copy(path, ROOT / "docs" / f"{name}.png")


@pytest.mark.skipif(not nginx_installed(), reason="nginx is not installed (.ci/run installs it)")
def test_a_teacher_and_two_students_on_another_replica_share_one_class(chromium, tmp_path):
    env = {"RNNVIZ_DATABASE_URL": f"sqlite:///{tmp_path / 'class.sqlite3'}", "RNNVIZ_PUBLIC_URL": "http://rnnviz.test"}
    with ExitStack() as stack:
        servers = [stack.enter_context(app_server(ARTIFACTS / f"class-replica-{i}.log", env)) for i in range(2)]
        url = stack.enter_context(nginx_proxy([s.url.removeprefix("http://") for s in servers], tmp_path / "nginx"))
        folder = tmp_path / "nginx"
        _, teacher, teachers_replica = on_replica(chromium, url, folder, None, viewport={"width": 1280, "height": 1000})
        other = next(
            s.url.removeprefix("http://") for s in servers if s.url.removeprefix("http://") != teachers_replica
        )

        teacher.goto(f"{url}/Lessons?lesson=forgetting&step=1")
        wait_idle(teacher)
        teacher.get_by_test_id("stSidebar").get_by_role("button", name="Teach this to a class").click()
        teacher.wait_for_url(re.compile(r"class=\w{6}"))
        wait_idle(teacher)
        code = re.search(r"class=(\w{6})", teacher.url).group(1)
        # the join screen: waited for, since the link's new address can be seen before the page's rerun has drawn
        expect(teacher.get_by_text("http://rnnviz.test/Lessons?class=" + code).first).to_be_visible()

        students = []
        for name, options in (("Ada", {"viewport": {"width": 1280, "height": 1000}}), ("Bo", PHONE)):
            context, page, replica = on_replica(chromium, url, folder, other, **options)
            assert replica != teachers_replica
            page.goto(f"{url}/Lessons?class={code}")
            wait_idle(page)
            page.get_by_label("Nickname (optional)").fill(name)
            page.get_by_role("button", name="Join the class").click()
            page.wait_for_url(re.compile("member="))
            wait_idle(page)
            students.append(page)
        ada, bo = students
        for page, option in ((ada, "about half"), (bo, "less than a millionth")):
            page.get_by_text(option, exact=True).click()
            wait_idle(page)
            page.get_by_role("button", name="Lock in").click()
            page.wait_for_selector("text=Your answer is in")

        teacher.wait_for_selector("text=2 joined · 2 answered", timeout=20_000)  # its counts refresh by themselves
        shot(teacher, "class-teacher-join")
        teacher.get_by_role("button", name="Run").first.click()
        teacher.get_by_role("button", name="Reveal the answer to the class").click()
        teacher.wait_for_selector("text=of the class predicted")

        for page in students:  # each page follows the class by itself: no reload, no click
            page.wait_for_selector("text=of the class predicted", timeout=20_000)
            assert page.locator("[data-testid='stException']").count() == 0
            assert page.locator(".js-plotly-plot").count() >= 2  # the teacher's result and the class's answers
        assert ada.get_by_text(re.compile("Not this time")).count() == 1
        assert bo.get_by_text(re.compile("You were right")).count() == 1
        assert bo.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
        shot(teacher, "class-teacher-reveal")
        bo.get_by_text("of the class predicted").scroll_into_view_if_needed()
        shot(bo, "class-phone-reveal")
        for page in (teacher, *students):
            assert page.locator("[data-testid='stException']").count() == 0

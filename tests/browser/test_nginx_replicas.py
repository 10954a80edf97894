"""deploy/nginx.conf on loopback, two replicas behind it (``replica_pair`` in conftest.py: started once a worker for
both tests, one class database): class mode across replicas, then each browser kept on one replica and what happens
when a replica stops.

Screenshots: test-artifacts/class-*.png (with RNNVIZ_UPDATE_DOCS=1 they replace docs/class-*.png)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
import uuid

from axe_checks import faint_chart_text
from helpers import ARTIFACTS, ROOT
from playwright.sync_api import expect

from rnnviz.testing.chromium import PHONE, wait_idle
from rnnviz.testing.nginx_proxy import replicas_hit

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

TRIES = 16  # affinity keys tried until a browser lands on the replica wanted (each lands on one of two at random)


def on_replica(new_context, url: str, folder, wanted: str | None, **context_options):
    """A browser context whose requests all reach ``wanted`` (None: any), and the replica it reached."""
    for _ in range(TRIES):
        context = new_context(**context_options)
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


def test_a_teacher_and_two_students_on_another_replica_share_one_class(new_context, replica_pair):
    """Class mode: a teacher's browser on one replica, two students' browsers (one a phone) on the other, one class
    database; the students join, predict, and see the teacher's run and the class's answers after the teacher
    reveals, with nothing of the run computed on their replica."""
    servers, url, folder = replica_pair.get()
    _, teacher, teachers_replica = on_replica(new_context, url, folder, None, viewport={"width": 1280, "height": 1000})
    other = next(s.url.removeprefix("http://") for s in servers if s.url.removeprefix("http://") != teachers_replica)

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
        context, page, replica = on_replica(new_context, url, folder, other, **options)
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
        # the teacher's result and the class's answers: waited for, since the sentence above the charts is drawn
        # before Plotly has drawn them (a loaded machine showed the sentence with no chart yet)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=20_000)
    assert ada.get_by_text(re.compile("Not this time")).count() == 1
    assert bo.get_by_text(re.compile("You were right")).count() == 1
    assert bo.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    assert faint_chart_text(bo) == [] and faint_chart_text(teacher) == []  # the published run's charts too
    shot(teacher, "class-teacher-reveal")
    bo.get_by_text("of the class predicted").scroll_into_view_if_needed()
    shot(bo, "class-phone-reveal")
    for page in (teacher, *students):
        assert page.locator("[data-testid='stException']").count() == 0


def wait_until_down(url: str, timeout_s: float = 30.0) -> None:
    """Until the server at ``url`` no longer answers its health check (it has shut down)."""
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
        except OSError:
            return
        time.sleep(0.05)
    raise AssertionError(f"{url} still answers {timeout_s:.0f} s after SIGTERM")


def _steps(page) -> int:
    match = re.search(r"step ([\d,]+) of", page.inner_text("body"))
    return int(match.group(1).replace(",", "")) if match else -1


def test_two_replicas_behind_nginx(new_context, replica_pair):
    """Each browser kept on one replica (websocket included), a reload stays there and finds its training run still
    going, and when a replica stops its browsers move to the live one while the other's sessions go on. It stops a
    replica, so it runs after the class test, and the pair is started afresh for any test after it."""
    servers, url, folder = replica_pair.get()
    try:

        def visit(context=None, page=None):
            """A browser's first visit: nginx gives it its affinity cookie, unless it came with one."""
            if context is None:
                context = new_context()
                page = context.new_page()
                page.set_default_timeout(60_000)
            page.goto(url)
            page.wait_for_selector(IDLE)
            assert page.locator("[data-testid='stException']").count() == 0
            cookie = next(c["value"] for c in context.cookies() if c["name"] == "rnnviz_replica")
            return context, page, cookie

        newcomer = visit()  # its cookie is nginx's
        first = replicas_hit(folder, newcomer[2])
        assert len(first) == 1, first  # every request of a browser, the websocket included, on one replica
        first = first.pop()
        other = next(s.url.removeprefix("http://") for s in servers if s.url.removeprefix("http://") != first)
        second_context, second_page, _ = on_replica(new_context, url, folder, other)  # a key that lands there
        second_visitor = visit(second_context, second_page)
        assert replicas_hit(folder, second_visitor[2]) == {other}  # the app and its websocket too
        (_, page_a, cookie_a), (_, page_b, _), second = newcomer, second_visitor, other
        page_a.goto(f"{url}/Attention?hidden=32&steps=5000")  # a run that outlasts the test
        page_a.wait_for_selector(IDLE)
        page_a.get_by_test_id("stButton").filter(has_text=re.compile("^Train$")).click()
        page_a.wait_for_selector("text=Training: step", timeout=60_000)
        page_a.reload()
        page_a.wait_for_selector(IDLE)
        assert replicas_hit(folder, cookie_a) == {first}  # a reload stays on its replica
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
        wait_until_down(stopped.url)
        page_b.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(has_text="Generate").first.click()
        page_b.wait_for_selector(IDLE)
        assert page_b.locator("[data-testid='stException']").count() == 0  # the other replica's session goes on
        _, page_c, cookie_c = visit()  # a new visitor reaches the live replica
        assert replicas_hit(folder, cookie_c) == {second}  # nginx may try the stopped one first: the live one answers
        page_a.reload()  # the stopped replica's visitor moves to the live one
        page_a.wait_for_selector(IDLE)
        assert second in replicas_hit(folder, cookie_a)
    finally:
        replica_pair.retire()  # one replica is stopped: a later test gets a fresh pair

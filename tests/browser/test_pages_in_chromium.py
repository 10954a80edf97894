"""Every page in a real browser: loads without an exception box, draws its main chart, and passes the English
accessibility checks as drawn (axe_checks.py); the Train page runs three cells live, pauses, keeps its run across a
page switch, and stops.

Screenshots go to test-artifacts/; with RNNVIZ_UPDATE_DOCS=1 they also replace docs/*.png.
"""

from __future__ import annotations

import os
import re
import shutil

from axe_checks import assert_accessible, faint_chart_text
from helpers import ARTIFACTS, ROOT
from playwright.sync_api import expect

DOCS = ROOT / "docs"
TINY = "hidden=8&emb=4&seq_len=16&batch_size=4&steps=20000&sample_every=50"


def idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']"
    ).first.inner_text()  # noqa: E501


def shot(page, name: str) -> None:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("RNNVIZ_UPDATE_DOCS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(path, DOCS / f"{name}.png")


def button(page, label: str):
    """The button element labelled ``label``, not its container: a click waits until it is enabled (a choice has
    reached the server), where a click on the container of a still-disabled button was lost on a busy machine."""
    return page.get_by_test_id("stButton").filter(has_text=re.compile(rf"^{re.escape(label)}$")).locator("button")


def go_to(page, label: str) -> None:
    """Through the shared sidebar (rnnviz/ui/navigation.py): Home, Learn, Labs."""
    page.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(has_text=label).first.click()
    page.wait_for_function(f"document.title.startsWith('{label}')", timeout=60_000)
    idle(page)


def steps_shown(page) -> int:
    text = page.get_by_test_id("stProgress").first.inner_text()
    match = re.search(r"([\d,]+) / ", text)
    return int(match.group(1).replace(",", "")) if match else -1


def wait_for_steps_beyond(page, steps: int) -> None:
    """Until the progress bar shows more than ``steps`` steps: the live view has redrawn with new training."""
    page.wait_for_function(
        """(steps) => {
            const bar = document.querySelector("[data-testid='stProgress']");
            const match = bar && bar.innerText.match(/([\\d,]+) \\/ /);
            return match && parseInt(match[1].replaceAll(",", "")) > steps;
        }""",
        arg=steps,
        timeout=60_000,
    )


def test_home(app_url, tab):
    page = tab
    page.goto(app_url)
    idle(page)
    no_exception(page)
    assert "rnnviz" in page.get_by_test_id("stHeading").first.inner_text()
    assert_accessible(page)
    shot(page, "home")


def test_train_live_pause_switch_stop(app_url, tab):
    page = tab
    page.goto(f"{app_url}/Train?{TINY}")
    idle(page)
    no_exception(page)
    button(page, "Start").click()
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    first = steps_shown(page)
    wait_for_steps_beyond(page, first)
    second = steps_shown(page)
    assert second > first >= 0, (first, second)  # the chart grows while the page stays live
    page.wait_for_selector("text=What each model writes now")
    shot(page, "train")
    button(page, "Pause").click()
    expect(page.get_by_test_id("stProgress").first).to_contain_text("Paused")
    paused = steps_shown(page)
    go_to(page, "Inspect")
    no_exception(page)
    go_to(page, "Train")
    no_exception(page)
    assert steps_shown(page) == paused  # the run and its history are still there
    # the charts are back: waited for, since Plotly draws them after the script has finished
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=20_000)
    assert faint_chart_text(page) == []  # the live race's charts
    button(page, "Resume").click()
    wait_for_steps_beyond(page, paused)
    button(page, "Stop").click()
    expect(page.get_by_test_id("stProgress").first).to_contain_text("Stopped")
    no_exception(page)


def test_inspect(app_url, tab):
    page = tab
    page.goto(f"{app_url}/Inspect")
    idle(page)
    no_exception(page)
    expect(page.get_by_text("Units that track something here")).to_be_visible(timeout=60_000)  # the first view
    assert page.locator(".js-plotly-plot").count() == 0  # only the open view is built
    assert_accessible(page)
    page.get_by_role("radio", name="Gates & states").click()
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=60_000)
    assert page.get_by_text(re.compile("fused layer: .* \\(exact\\)")).count() == 1
    assert faint_chart_text(page) == []  # the heatmaps' axes and colour bars, which the first view has none of
    shot(page, "inspect")
    page.get_by_role("radio", name="Neurons over text").click()
    page.wait_for_selector("text=tracks")
    shot(page, "inspect-neurons")


def test_generate(app_url, tab):
    page = tab
    page.goto(f"{app_url}/Generate")
    idle(page)
    no_exception(page)
    assert_accessible(page)
    button(page, "Generate").click()
    page.wait_for_selector("span[title^='step 299']", timeout=60_000)  # the last of 300 chars
    idle(page)
    no_exception(page)
    assert page.locator("span[title^='step 0']").count() == 1  # hover details on every char
    shot(page, "generate")


def test_gradients(app_url, tab):
    page = tab
    page.goto(f"{app_url}/Gradients")
    idle(page)
    no_exception(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_selector("text=forget gates sit near 0.5")
    assert page.locator(".js-plotly-plot").first.locator(".scatterlayer .trace").count() == 3  # RNN, LSTM, GRU
    assert_accessible(page)
    shot(page, "gradients")


def test_attention(app_url, tab):
    page = tab
    page.goto(f"{app_url}/Attention")
    idle(page)
    no_exception(page)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=60_000)  # the pretrained model's attention
    assert page.get_by_text("1999").count() or page.get_by_text("2021-03-03").count()
    assert_accessible(page)
    shot(page, "attention")


def cjk_font_installed() -> bool:
    import subprocess

    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(listed.strip())


def test_tag_renders_chinese_as_characters(app_url, tab):
    """The Tag page's sentence in Chromium: entities highlighted, and Chinese drawn with real glyphs, not the
    boxes of a missing font (the canvas check compares a character's pixels with a private-use code point's)."""
    import pytest

    page = tab
    page.goto(f"{app_url}/Tag")
    idle(page)
    no_exception(page)
    page.wait_for_selector("text=BiLSTM+CRF", timeout=60_000)
    page.wait_for_selector("sub:has-text('PER')", timeout=60_000)  # 周, by the bidirectional model (drawn after)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=60_000)
    page.wait_for_selector("[data-testid='stTable']", timeout=60_000)  # the held-out comparison, a static table
    page.wait_for_selector("text=Press Train", timeout=60_000)
    assert_accessible(page)
    if not cjk_font_installed():
        pytest.skip("no Chinese font (.ci/run installs fonts-noto-cjk)")
    differs = page.evaluate(
        """() => {
            const pixels = (text) => {
                const canvas = document.createElement("canvas");
                canvas.width = 64; canvas.height = 64;
                const context = canvas.getContext("2d");
                context.font = "48px " + getComputedStyle(document.body).fontFamily;
                context.fillText(text, 4, 52);
                return Array.from(context.getImageData(0, 0, 64, 64).data).join(",");
            };
            return pixels("江") !== pixels("\ue000") && pixels("江") !== pixels("泽");
        }"""
    )
    assert differs, "Chinese characters render as the missing-glyph box"
    shot(page, "tag")


def test_classify(app_url, tab):
    """The Classify page opens on the shipped classifiers: answers, coloured words, the reading chart, the probe."""
    page = tab
    page.goto(f"{app_url}/Classify")
    idle(page)
    no_exception(page)
    page.wait_for_selector("text=reading left to right", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=60_000)  # reading, probe
    page.wait_for_selector("text=Press Train", timeout=60_000)
    assert_accessible(page)
    shot(page, "classify")


def test_classify_upload_refuses_a_bad_table_and_takes_a_good_one(app_url, tab, tmp_path):
    from urllib.parse import quote

    page = tab
    page.goto(f"{app_url}/Classify?data={quote('your own table (CSV/TSV)')}")
    idle(page)
    no_exception(page)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 20)
    page.locator("input[type='file']").set_input_files(str(binary))
    page.wait_for_selector("text=This looks like a binary file", timeout=60_000)
    no_exception(page)
    good = tmp_path / "reviews.csv"
    good.write_text("review,stars\n" + "".join(f"review number {i},{'abc'[i % 3]}\n" for i in range(30)))
    page.locator("input[type='file']").set_input_files(str(good))
    page.wait_for_selector("text=30 labelled rows, classes: a, b, c", timeout=60_000)
    no_exception(page)


def test_first_lesson_predict_run_reveal(app_url, tab):
    """The first lesson as a student meets it: no run before a prediction; each instant step reveals; the live
    step (the adding problem) starts training and draws its chart; the screenshot is the first step's reveal."""
    from rnnviz.lessons.catalogue import LESSONS

    lesson = LESSONS["forgetting"]
    page = tab
    page.goto(app_url)
    idle(page)
    go_to(page, "Lessons")
    no_exception(page)
    button(page, "Start").first.click()
    idle(page)
    for number, step in enumerate(lesson.steps, start=1):
        expect(page.get_by_test_id("stHeading").filter(has_text=step.title)).to_be_visible()
        expect(button(page, "Lock in my answer")).to_be_disabled()
        page.get_by_test_id("stRadio").get_by_text(step.question.options[step.question.answer], exact=True).click()
        idle(page)
        button(page, "Lock in my answer").click()
        idle(page)
        if step.experiment.key == "memory_task":  # live: start it, see it train, stop it (45 s to the end)
            button(page, "Run the experiment").click()
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            expect(page.get_by_test_id("stProgress").filter(has_text="Training")).to_be_visible()
            button(page, "Stop").click()
            expect(page.get_by_test_id("stProgress").filter(has_text="Stopped")).to_be_visible()
        else:
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("You were right")
            if number == 1:
                assert page.locator(".katex").count() >= 1  # the equation, typeset without fetching anything
                shot(page, "lessons")
        no_exception(page)
        if number < len(lesson.steps):
            button(page, "Next →").click()
            idle(page)

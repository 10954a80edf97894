"""The interface in every language but English (``?lang=``): every translated page renders in it and shows no
catalogue English, and the switch keeps it across pages; then Chinese itself (?lang=zh): a lesson, the home page, the
Song ci model, a run's reports, read in Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from apptest_helpers import open_page, plotly_specs
from helpers import OTHER_LANGUAGES, reads_translated
from streamlit.testing.v1 import element_tree

from rnnviz.i18n import DEFAULT, LANGUAGES, catalogue, use_language
from rnnviz.ui.navigation import LABS, LEARN, nav_key

TRANSLATED = [
    "1_Train.py",
    "2_Inspect.py",
    "3_Generate.py",
    "4_Gradients.py",
    "5_Attention.py",
    "6_Tag.py",
    "7_Classify.py",
]
NOT_YET = ["0_Lessons.py"]
PAGE_NAMES = {Path(path).name: name for path, name, _ in [*LEARN, *LABS]}  # "2_Inspect.py" -> "Inspect"


def screen_texts(at) -> list[str]:
    """Every text a user reads: element values, labels, help, tab and expander labels, chart titles and names."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, (element_tree.Markdown, element_tree.HeadingBase, element_tree.AlertBase)):
            found.append(str(node.value))  # a widget's value is the option chosen, not its label: left out
        for attribute in ("label", "help", "placeholder", "body"):
            try:
                value = getattr(node, attribute, None)
            except Exception:  # some widgets compute their value from state they do not have here
                continue
            if isinstance(value, str):
                found.append(value)
        proto = getattr(node, "proto", None)
        for attribute in ("label", "help", "body", "text"):
            value = getattr(proto, attribute, None) if proto is not None else None
            if isinstance(value, str):
                found.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for spec in plotly_specs(at):
        layout = spec.get("layout", {})
        for axis in ("xaxis", "yaxis"):
            found.append(str(layout.get(axis, {}).get("title", {}).get("text", "")))
        found += [str(a.get("text", "")) for a in layout.get("annotations", [])]
        found += [str(trace.get("name", "")) for trace in spec.get("data", [])]
    return found


def english_sentences(language: str) -> list[str]:
    """Catalogue English that would be a slip on a page in ``language``: texts of at least two words (not names)."""
    other = catalogue(language)
    texts = []
    for key, text in catalogue(DEFAULT).items():
        plain = re.sub(r"\{[^}]*\}", "", text)
        if len(re.findall(r"[A-Za-z]{3,}", plain)) >= 2 and other[key] != text:
            texts.append(re.split(r"\{", text)[0].strip(" *:"))
    return [text for text in texts if len(text) >= 8]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("page", TRANSLATED)
def test_translated_pages_show_no_catalogue_english(page, language):
    """The page is in ``language`` (its own title shows, in the language's script where it has one: Chinese on a
    Chinese page) and no catalogue English slipped through."""
    at = open_page(page, {"lang": language})
    assert not at.exception
    shown = "\n".join(screen_texts(at))
    key = nav_key(PAGE_NAMES[page])
    title = catalogue(language)[key]
    assert title in shown and reads_translated(language, catalogue(DEFAULT)[key], title)
    slips = [text for text in english_sentences(language) if text in shown]
    assert slips == [], f"English on the {LANGUAGES[language]} {page}: {slips[:5]}"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_check_finds_english_on_an_english_page(language):
    """The check above can fail: on the English Train page it finds the catalogue's English."""
    at = open_page("1_Train.py")
    shown = "\n".join(screen_texts(at))
    found = [text for text in english_sentences(language) if text in shown]
    assert len(found) >= 10 and "n-gram baselines on the loss chart" in found


def test_a_lesson_step_in_chinese_from_text_to_reveal():
    at = open_page("0_Lessons.py", {"lang": "zh", "lesson": "forgetting", "step": "1"})
    assert at.title[0].value == "普通 RNN 为什么会遗忘" and at.subheader[0].value == "梯度沿每一步反向流动"
    assert "沿时间反向传播" in texts_of(at) and "不到百万分之一" in at.radio(key="lesson.q.forgetting.bptt").options
    at.radio(key="lesson.q.forgetting.bptt").set_value("less than a millionth").run()  # the value stays English
    at.button(key="lesson.lock").click().run()
    assert not at.exception
    assert "你答对了" in " ".join(str(e.value) for e in at.success)
    shown = texts_of(at)
    assert "**原因。** 每一步都把它缩小" in shown and "每步 x" in shown  # the why, and the run's own figures
    slips = [text for text in english_sentences("zh") if text in "\n".join(screen_texts(at))]
    assert slips == []


def texts_of(at) -> str:
    return "\n".join(str(e.value) for e in at.markdown)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_switch_keeps_the_language_across_pages_and_in_the_url(language):
    """The language chosen in the sidebar stays on the next page and in the URL; English takes it off again (the
    Chinese titles, 训练 and 生成, are pinned in tests/test_i18n.py)."""
    words = catalogue(language)
    at = open_page("1_Train.py")
    assert at.title[0].value == "Train"
    at.sidebar.radio(key="rnnviz.lang.widget").set_value(language).run()
    assert at.title[0].value == words["nav.train"] and at.query_params["lang"] == language
    assert reads_translated(language, "Train", at.title[0].value)
    at.switch_page("pages/3_Generate.py").run()
    assert at.title[0].value == words["nav.generate"] and reads_translated(language, "Generate", at.title[0].value)
    at.sidebar.radio(key="rnnviz.lang.widget").set_value(DEFAULT).run()
    assert at.title[0].value == "Generate" and "lang" not in at.query_params


def test_a_chinese_home_page_lists_translated_lessons_and_labs():
    at = open_page("1_Train.py", {"lang": "zh"})
    at.switch_page("app.py").run()
    assert not at.exception and at.title[0].value.startswith("rnnviz：")
    assert "为什么需要注意力机制" in json.dumps([link.proto.label for link in at.get("page_link")], ensure_ascii=False)


def test_an_unknown_language_in_a_link_warns_in_both_and_shows_english():
    from apptest_helpers import ROOT, AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "klingon"
    at.run()
    assert not at.exception and at.title[0].value.startswith("rnnviz: ")
    warning = " ".join(str(w.value) for w in at.warning)
    assert "unknown language / 未知语言" in warning
    assert all(f"{code} ({name})" in warning for code, name in LANGUAGES.items()), warning  # zh (简体中文), ...
    assert "lang" not in at.query_params  # the link is mended; the warning was said once


def test_generate_in_chinese_opens_on_the_song_ci_model_and_offers_openings():
    at = open_page("3_Generate.py", {"lang": "zh"})
    assert at.multiselect(key="generate.models").value == ["song-ci-lstm (pretrained)"]
    assert at.text_input(key="generate.prompt").value == "明月"
    at.button(key="generate.suggest.春").click().run()
    assert at.text_input(key="generate.prompt").value == "春"
    at.number_input(key="generate.length").set_value(24).run()
    at.button(key="generate.go").click().run()
    _, pieces = at.session_state["generate.results"]["song-ci-lstm (pretrained)"]
    written = "".join(p.char for p in pieces)
    assert len(pieces) == 24 and sum("\u4e00" <= ch <= "\u9fff" for ch in written) >= 12 and "\ufffd" not in written


def test_a_run_in_chinese_reports_progress_tables_and_divergence_in_chinese():
    at = open_page("1_Train.py", {"lang": "zh", "preset": "exploding", "lr": "5", "hidden": "32", "seq_len": "64"})
    at.number_input(key="train.step_n").set_value(60).run()
    at.button(key="train.step").click().run()
    assert not at.exception
    run = next(cell for cell in at.session_state["train.run"].job.runs if cell.name == "RNN (relu)")
    assert run.diverged.startswith("diverged at step")  # the string itself stays English (logs, JSON, the CLI)
    with use_language("zh"):
        assert str(run.diverged).startswith("在第")
    errors = " ".join(str(e.value) for e in at.error)
    assert "发散了" in errors and "降低学习率" in errors  # the reason, in the reader's language
    assert "训练损失" in at.dataframe[0].value.columns
    progress = " ".join(bar.proto.text for bar in at.get("progress"))
    assert progress.endswith("步") and "steps" not in progress, progress

"""The lesson files: every lesson loads from its content files in every language, and a broken file fails at load
with the file and the field named, never in front of a class."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from helpers import OTHER_LANGUAGES

from rnnviz.i18n import DEFAULT, LANGUAGES
from rnnviz.lessons import catalogue
from rnnviz.lessons.catalogue import (
    LESSONS,
    TRANSLATIONS,
    LessonContentError,
    lesson_words,
    load_lessons,
    placeholders,
    text_fields,
)
from rnnviz.lessons.experiments import EXPERIMENTS, config_code
from rnnviz.lessons.notebook import small

CONTENT = Path(catalogue.__file__).parent / "content"


def test_every_lesson_has_one_file_per_language_and_nothing_else():
    files = sorted(path.name for path in CONTENT.iterdir())
    assert files == sorted(f"{key}.{language}.toml" for key in LESSONS for language in LANGUAGES)


def test_every_translation_carries_every_text_field_with_the_same_placeholders():
    for key, lesson in LESSONS.items():
        english = TRANSLATIONS[key][DEFAULT]
        assert english["title"] == lesson.title and english[f"{lesson.steps[0].key}.text"] == lesson.steps[0].text
        for language in LANGUAGES:
            words = TRANSLATIONS[key][language]
            assert set(words) == set(english), (key, language)
            for name, text in english.items():
                assert placeholders(text) == placeholders(words[name]) or name.endswith(".latex"), (key, name)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_lesson_words_answer_in_the_current_language(language):
    from rnnviz.i18n import use_language

    lesson = LESSONS["forgetting"]
    with use_language(language):
        title, prompt = lesson_words(lesson)("title", lesson.title), lesson_words(lesson, "bptt")("prompt", "?")
    assert title == TRANSLATIONS["forgetting"][language]["title"] and title != lesson.title
    assert prompt == TRANSLATIONS["forgetting"][language]["bptt.prompt"]
    assert lesson_words(lesson, "bptt")("prompt", "?") == lesson.steps[0].question.prompt
    assert lesson_words(lesson, "bptt")("no_such_field", "fallback") == "fallback"


@pytest.fixture
def folder(tmp_path):
    """A copy of the content folder to break."""
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


BREAKAGES = [
    # (file, old, new, what the message must name)
    ("forgetting.en.toml", 'experiment = "decay_at_init"', 'experiment = "decay_at_nit"', "steps[0] (bptt).experiment"),
    ("forgetting.en.toml", "answer = 2", "answer = 7", "steps[0] (bptt).question"),
    ("forgetting.en.toml", 'key = "bptt"\n', 'key = "bptt"\ncolour = "red"\n', "unknown field colour"),
    (
        "forgetting.en.toml",
        "hidden_size = 128, seq_len = 100 }",
        "hidden_size = 128, seq_len = 100, sped = 3 }",
        "decay_at_init takes no sped",
    ),
    ("forgetting.en.toml", "default = 0.9", "default = 0.8", "steps[1] (identity).controls[0]"),
    ("forgetting.en.toml", "minutes = 15\n", "", "missing minutes"),
    ("forgetting.zh.toml", 'why = "每一步都', 'whyy = "每一步都', "bptt.why"),
    ("forgetting.zh.toml", 'key = "bptt"\n', 'key = "bptt"\nexperiment = "neurons"\n', "steps[0].experiment"),
    ("forgetting.zh.toml", 'options = ["大约一半"', 'options = ["大约一半 {radius}"', "bptt.option0"),
    ("forgetting.zh.toml", 'key = "identity"', 'key = "identiti"', "steps"),
    ("inside.zh.toml", "title = ", "title = = ", "not valid TOML"),
]


@pytest.mark.parametrize("name, old, new, named", BREAKAGES)
def test_a_broken_lesson_file_fails_at_load_with_its_file_and_field_named(folder, name, old, new, named):
    edit(folder / name, old, new)
    with pytest.raises(LessonContentError) as error:
        load_lessons(folder)
    assert str(error.value).startswith(name) and named in str(error.value), str(error.value)


def test_a_step_too_long_and_a_missing_translation_file_are_refused(folder):
    edit(folder / "exploding.en.toml", "The opposite of vanishing", "word " * 200 + "The opposite of vanishing")
    with pytest.raises(LessonContentError, match=r"exploding.en.toml: steps\[0\] \(radius\): .*at most 150"):
        load_lessons(folder)
    shutil.copy(CONTENT / "exploding.en.toml", folder / "exploding.en.toml")
    load_lessons(folder)
    (folder / "sentiment.zh.toml").unlink()
    with pytest.raises(LessonContentError, match="sentiment.zh.toml: missing"):
        load_lessons(folder)


def test_the_content_files_rebuild_the_same_lessons():
    lessons, translations = load_lessons(CONTENT)
    assert lessons == LESSONS and translations == TRANSLATIONS
    assert list(lessons)[:2] == ["forgetting", "exploding"]  # the pages' order, not the files' alphabetical one


def test_text_fields_name_every_text_a_page_shows():
    fields = text_fields(
        {
            "title": "T",
            "summary": "S",
            "steps": [
                {
                    "key": "a",
                    "title": "A",
                    "text": "x",
                    "question": {"prompt": "p", "options": ["o", "q"], "why": "w"},
                    "controls": [{"key": "forget-bias", "label": "L", "help": "H"}],
                }
            ],
            "checks": [{"prompt": "c", "options": ["y", "n"], "why": "z"}],
        }
    )
    assert set(fields) == {
        "title",
        "summary",
        "a.title",
        "a.text",
        "a.prompt",
        "a.option0",
        "a.option1",
        "a.why",
        "a.control_forget_bias_label",
        "a.control_forget_bias_help",
        "check1.prompt",
        "check1.option0",
        "check1.option1",
        "check1.why",
    }


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_the_notebook_code_is_the_steps_own_config_as_python(key):
    """The cell's ``config = ...`` is the repr of the very config the page runs, and evaluating it rebuilds it."""
    for step in LESSONS[key].steps:
        experiment = step.experiment
        config = experiment.config(small(step.values()))
        code = experiment.code(config)
        assert f"config = {config_code(config)}" in code
        namespace: dict = {}
        exec(experiment.imports, namespace)  # the cell's imports name every class its config line uses
        assert eval(config_code(config), namespace) == config, step.key
        assert dataclasses.is_dataclass(config) and type(config).__dataclass_params__.frozen


def test_every_experiment_builds_its_config_from_values_and_ignores_others():
    decay = EXPERIMENTS["decay_at_init"]
    config = decay.config({"variants": ["LSTM"], "seq_len": 20, "not_a_setting": 1})
    assert config.variants == ("LSTM",) and config.seq_len == 20

"""The catalogues: the same keys and placeholders in both languages, the glossary's terms used, a language switch."""

from __future__ import annotations

import re
import string

import pytest

from rnnviz.i18n import LANGUAGES, catalogue, current_language, glossary, set_language_source, t, use_language


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def interface(language: str) -> dict[str, str]:
    return catalogue(language)


def test_every_key_is_in_both_catalogues():
    english, chinese = interface("en"), interface("zh")
    assert set(english) - set(chinese) == set(), "keys missing in zh.toml"
    assert set(chinese) - set(english) == set(), "keys missing in en.toml"


def lesson_fields(language: str = "en") -> dict[str, str]:
    """Every text field of every lesson in ``language``, from its content file: ``lesson.LESSON.FIELD``."""
    from rnnviz.lessons.catalogue import TRANSLATIONS

    return {
        f"lesson.{key}.{name}": text
        for key, languages in TRANSLATIONS.items()
        for name, text in languages[language].items()
        if not name.endswith(".latex")  # an equation is the same in every language
    }


def test_every_lesson_text_is_translated():
    english, chinese = lesson_fields("en"), lesson_fields("zh")
    assert set(english) == set(chinese)
    words_only = [
        key
        for key, text in english.items()
        if re.search("[A-Za-z]{4,}", text)
        and not re.search("[\u4e00-\u9fff]", chinese[key])
        and not key.endswith(NAMES)
    ]
    assert words_only == [], words_only


NAMES = tuple(f"option{i}" for i in range(5))  # options may be names ('wonderful', 'LSTM') in both languages


def test_the_placeholders_match_and_every_chinese_text_is_chinese():
    english, chinese = interface("en"), interface("zh")
    for key, text in english.items():
        assert placeholders(text) == placeholders(chinese[key]), key
        if re.search("[A-Za-z]{4,}", text) and key not in NAMES_ONLY:
            assert re.search("[\u4e00-\u9fff]", chinese[key]), f"{key} is not translated: {chinese[key]!r}"


NAMES_ONLY = {"units.top_k", "units.top_p"}  # texts that are names in both languages


def test_the_glossary_terms_are_used_consistently():
    english, chinese = {**interface("en"), **lesson_fields("en")}, {**catalogue("zh"), **lesson_fields("zh")}
    for term, chinese_term in glossary().items():
        pattern = re.compile(r"\b" + re.escape(term) + r"(s|es)?\b", re.IGNORECASE)
        for key, text in english.items():
            if pattern.search(text):
                assert chinese_term in chinese[key], f"{key}: {term!r} should read {chinese_term!r}"


def test_t_fills_values_and_follows_the_language():
    assert t("home.lesson_minutes", summary="S.", minutes=5) == "S. About 5 minutes."
    with use_language("zh"):
        assert current_language() == "zh" and t("nav.train") == "训练"
    with use_language("xx"):
        assert current_language() == "en"
    assert t("no.such.key") == "no.such.key"


def test_a_language_source_is_asked_and_a_failing_one_means_english():
    previous = set_language_source(lambda: "zh")
    try:
        assert t("nav.home") == "首页"
        set_language_source(lambda: 1 / 0)
        assert t("nav.home") == "Home"
    finally:
        set_language_source(previous)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_catalogue_text_formats(language):
    for text in interface(language).values():
        text.format(**{name: 1 for name in placeholders(text)})  # a stray brace or a bad spec fails here

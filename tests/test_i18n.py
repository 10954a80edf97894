"""The catalogues: the same keys and placeholders in every language, each text translated, the glossary's terms used
in Chinese, a language switch. Each check runs for every language in ``i18n.LANGUAGES`` but English."""

from __future__ import annotations

import re
import string

import pytest
from helpers import OTHER_LANGUAGES, reads_translated

from rnnviz.i18n import (
    DEFAULT,
    LANGUAGES,
    catalogue,
    current_language,
    glossary,
    set_language_source,
    t,
    use_language,
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def interface(language: str) -> dict[str, str]:
    return catalogue(language)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_key_is_in_every_catalogue(language):
    english, other = interface(DEFAULT), interface(language)
    assert set(english) - set(other) == set(), f"keys missing in {language}.toml"
    assert set(other) - set(english) == set(), f"keys missing in {DEFAULT}.toml"


def lesson_fields(language: str = DEFAULT) -> dict[str, str]:
    """Every text field of every lesson in ``language``, from its content file: ``lesson.LESSON.FIELD``."""
    from rnnviz.lessons.catalogue import TRANSLATIONS

    return {
        f"lesson.{key}.{name}": text
        for key, languages in TRANSLATIONS.items()
        for name, text in languages[language].items()
        if not name.endswith(".latex")  # an equation is the same in every language
    }


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_lesson_text_is_translated(language):
    english, other = lesson_fields(DEFAULT), lesson_fields(language)
    assert set(english) == set(other)
    words_only = [
        key
        for key, text in english.items()
        if re.search("[A-Za-z]{4,}", text)
        and not reads_translated(language, text, other[key])
        and not key.endswith(NAMES)
    ]
    assert words_only == [], words_only


NAMES = tuple(f"option{i}" for i in range(5))  # options may be names ('wonderful', 'LSTM') in both languages


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_placeholders_match_and_every_text_is_translated(language):
    """Same placeholders; and a text with words in English is a different text in ``language``, in its own script
    where it has one (every Chinese text shows Chinese)."""
    english, other = interface(DEFAULT), interface(language)
    for key, text in english.items():
        assert placeholders(text) == placeholders(other[key]), key
        if re.search("[A-Za-z]{4,}", text) and key not in NAMES_ONLY:
            assert reads_translated(language, text, other[key]), f"{key} is not translated: {other[key]!r}"


NAMES_ONLY = {"units.top_k", "units.top_p"}  # texts that are names in both languages


GLOSSARY_LANGUAGE = "zh"  # glossary.toml gives each term of the field its one Chinese term


def test_the_glossary_terms_are_used_consistently():
    english = {**interface(DEFAULT), **lesson_fields(DEFAULT)}
    chinese = {**catalogue(GLOSSARY_LANGUAGE), **lesson_fields(GLOSSARY_LANGUAGE)}
    for term, chinese_term in glossary().items():
        pattern = re.compile(r"\b" + re.escape(term) + r"(s|es)?\b", re.IGNORECASE)
        for key, text in english.items():
            if pattern.search(text):
                assert chinese_term in chinese[key], f"{key}: {term!r} should read {chinese_term!r}"


def test_the_chinese_catalogue_says_what_the_pages_expect():
    """A few Chinese texts pinned by hand, so the tests below that compare with ``catalogue(language)`` also know
    the Chinese catalogue is the one read (the Chinese pages' tests rely on these names)."""
    chinese = catalogue("zh")
    assert (chinese["nav.home"], chinese["nav.train"], chinese["nav.generate"]) == ("首页", "训练", "生成")


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_t_fills_values_and_follows_the_language(language):
    assert t("home.lesson_minutes", summary="S.", minutes=5) == "S. About 5 minutes."
    with use_language(language):
        assert current_language() == language and t("nav.train") == catalogue(language)["nav.train"]
        assert reads_translated(language, "Train", t("nav.train"))
    with use_language("xx"):
        assert current_language() == "en"
    assert t("no.such.key") == "no.such.key"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_language_source_is_asked_and_a_failing_one_means_english(language):
    previous = set_language_source(lambda: language)
    try:
        assert t("nav.home") == catalogue(language)["nav.home"] and reads_translated(language, "Home", t("nav.home"))
        set_language_source(lambda: 1 / 0)
        assert t("nav.home") == "Home"
    finally:
        set_language_source(previous)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_catalogue_text_formats(language):
    for text in interface(language).values():
        text.format(**{name: 1 for name in placeholders(text)})  # a stray brace or a bad spec fails here

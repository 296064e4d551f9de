"""The interface's lines: all three languages, the same placeholders, real Cyrillic, plurals."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from bot import phrases

BUTTONS = ("source", "more", "reason_w", "reason_o", "reason_n", "previous", "next")


def placeholders(line: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(line) if name}


@pytest.mark.parametrize("key", phrases.LINES)
def test_every_line_is_in_three_languages_with_the_same_placeholders(key: str) -> None:
    line = phrases.LINES[key]
    assert set(line) == set(phrases.LANGUAGES)
    assert placeholders(line["uk"]) == placeholders(line["en"]) == placeholders(line["ru"])


@pytest.mark.parametrize("key", phrases.LINES)
def test_ukrainian_and_russian_lines_are_written_in_cyrillic_and_not_mixed(key: str) -> None:
    for language in ("uk", "ru"):
        words = re.sub(r"<[^>]*>|\{\w+\}|/\w+", "", phrases.LINES[key][language])
        assert not re.search(r"[A-Za-z]", words), (key, language)  # not left in English
    assert not set("ыэъё") & set(phrases.LINES[key]["uk"].lower()), key  # Russian letters
    assert not set("ієїґ") & set(phrases.LINES[key]["ru"].lower()), key  # Ukrainian letters


@pytest.mark.parametrize("key", BUTTONS)
def test_button_labels_stay_short(key: str) -> None:
    for language in phrases.LANGUAGES:
        assert len(phrases.say(key, language, n=10)) <= 18, (key, language)


@pytest.mark.parametrize(
    ("number", "en", "uk", "ru"),
    [
        (1, "1 question", "1 запитання", "1 вопрос"),
        (3, "3 questions", "3 запитання", "3 вопроса"),
        (5, "5 questions", "5 запитань", "5 вопросов"),
        (11, "11 questions", "11 запитань", "11 вопросов"),
        (12, "12 questions", "12 запитань", "12 вопросов"),
        (21, "21 questions", "21 запитання", "21 вопрос"),
        (104, "104 questions", "104 запитання", "104 вопроса"),
    ],
)
def test_counted_nouns_take_their_languages_form(number: int, en: str, uk: str, ru: str) -> None:
    assert [phrases.count(number, "questions", lang) for lang in ("en", "uk", "ru")] == [en, uk, ru]


def test_seconds_after_in_and_an_unknown_language_falls_back_to_english() -> None:
    assert phrases.say("in_seconds", "uk", seconds=phrases.count(41, "seconds", "uk")) == (
        "через 41 секунду"
    )
    assert phrases.count(2, "seconds", "ru") == "2 секунды"
    assert phrases.say("more", "de") == "More results ▸"
    assert phrases.count(2, "seconds", "de") == "2 seconds"

"""Command replies in the reader's language: the /sources pages and their buttons."""

from __future__ import annotations

import pytest

from bot import keyboards, texts
from bot.phrases import say
from knowledge import Source
from tests.helpers.telegram_html import parse_html


def sources(count: int) -> list[Source]:
    return [Source(id=f"s{i}", title=f"Talks {i}", text="") for i in range(count)]


def test_a_sources_page_and_its_buttons_speak_the_readers_language() -> None:
    text, keyboard = texts.sources_page(sources(20), 1, "uk")
    assert parse_html(text).plain.startswith("Джерела в індексі (20), сторінка 2 з 3\n\n• Talks")
    assert [b.text for b in keyboard.inline_keyboard[0]] == ["◂ Назад", "Далі ▸"]
    english = texts.sources_page(sources(20), 1)[1]
    assert keyboard.to_dict() != english.to_dict()
    same = [b.callback_data for b in english.inline_keyboard[0]]
    assert [b.callback_data for b in keyboard.inline_keyboard[0]] == same
    assert [keyboards.decode(d).number for d in same] == [0, 2]


def test_no_sources_says_so_in_russian() -> None:
    text, keyboard = texts.sources_page([], 0, "ru")
    plain = parse_html(text).plain
    assert (
        plain == "Источники в индексе (0), страница 1 из 1\n\nНи один источник не проиндексирован."
    )
    assert keyboard is None


@pytest.mark.parametrize(
    ("language", "source", "more"),
    [
        ("en", "Source", "More results"),
        ("uk", "Джерело", "Ще результати"),
        ("ru", "Источник", "Ещё результаты"),
    ],
)
def test_the_help_names_the_answer_buttons_as_they_are_labelled(
    language: str, source: str, more: str
) -> None:
    shown = parse_html(texts.help_html("CeasefireTestBot", language)).plain
    assert f"{source} " in shown and f"{more} " in shown
    assert say("source", language, n=1).startswith(source)
    assert say("more", language).startswith(more)

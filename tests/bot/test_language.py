"""Which language a reader is spoken to in: the question's words, else the app's language."""

from __future__ import annotations

import pytest
from telegram import Update, User

import knowledge
from bot.language import (
    answer_language,
    app_language,
    help_language,
    in_language,
    language_of,
    reply_language,
)
from knowledge import Answer, Knowledge
from knowledge.answer import suggested_questions
from tests.helpers import updates


@pytest.fixture(scope="module")
def shipped() -> Knowledge:
    """The shipped corpus, loaded once."""
    return knowledge.load()


def user(code: str | None) -> User:
    return User(1001, "Alice", False, language_code=code)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("uk", "uk"), ("ru-RU", "ru"), ("RU", "ru"), ("en", "en"), ("de", "en"), (None, "en")],
)
def test_the_app_language_is_ukrainian_russian_or_english(code, expected) -> None:
    assert app_language(user(code)) == expected
    assert app_language(None) == "en"


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("What does Russia demand?", "uk", "en"),  # words of English: English
        ("Чого вимагає Росія?", "en", "uk"),
        ("Чего требует Россия?", "uk", "ru"),
        ("2099?", "ru", "ru"),  # no words: the app's language
        ("🤔", "uk", "uk"),
        ("", "de", "en"),
    ],
)
def test_a_text_with_words_speaks_their_language_else_the_apps(text, code, expected) -> None:
    assert language_of(user(code), text) == expected


def test_a_refusal_of_a_question_without_words_speaks_the_readers_language(
    shipped: Knowledge,
) -> None:
    refused = shipped.ask("2099?")
    assert (refused.answered, refused.language) == (False, "en")
    shown = in_language(refused, user("ru"), shipped)
    assert shown.language == "ru"
    assert shown.suggestions and set(shown.suggestions) <= set(suggested_questions("ru"))
    assert in_language(refused, user("en"), shipped) is refused


def test_an_answer_to_words_keeps_the_language_they_were_asked_in(shipped: Knowledge) -> None:
    answer = Answer("what does russia demand?", False, language="en", suggestions=("x",))
    assert answer_language(answer, user("uk")) == "en"
    assert in_language(answer, user("uk"), shipped) is answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [("/demands", "uk"), ("/outcomes@CeasefireBot", "uk"), ("/demands russia", "en")],
)
def test_a_bare_command_is_answered_in_the_readers_app_language(question, expected) -> None:
    answer = Answer(question, True, language="en", topic="demands:all")
    assert answer_language(answer, user("uk")) == expected


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [("hi", "uk", "uk"), ("hello", "ru", "ru"), ("hi", "de", "en"), ("привет", "uk", "ru")],
)
def test_a_greeting_in_english_speaks_the_apps_language_one_in_cyrillic_its_own(
    text, code, expected
) -> None:
    assert help_language(user(code), text) == expected


def test_a_reply_follows_the_message_words_and_a_press_the_pressers_app() -> None:
    asked = Update.de_json({"update_id": 1, **updates.message("Чого вимагає Росія?")}, None)
    assert reply_language(asked) == "uk"
    sent = updates.bot_message("an answer", 1001, 7)
    pressed = updates.speaking(updates.callback("m:" + "0" * 16, sent), "ru")
    assert reply_language(Update.de_json({"update_id": 2, **pressed}, None)) == "ru"

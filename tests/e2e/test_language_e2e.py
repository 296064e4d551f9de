"""What a Ukrainian and a Russian reader receive, end to end: refusals, buttons, alerts."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Running, plain
from tests.helpers import updates

USER = 1001
# (app language, a question in it, the refusal's first line, a suggested question, button
# labels: source, more, the reasons row, the alert of a second "More", the thanks for a vote)
READERS = {
    "uk": (
        "Чого вимагає Росія?",
        "Я не знайшов відповіді з джерелом на це питання в проіндексованих статтях.",
        "Чого вимагає Росія?",
        ("Джерело 1", "Ще результати ▸", ["Не те джерело", "Застаріло", "Не відповідь"]),
        ("Наступні результати вже нижче.", "Дякуємо за відгук!"),
    ),
    "ru": (
        "Чего требует Россия?",
        "Я не нашёл ответа с источником на этот вопрос в проиндексированных статьях.",
        "Чего требует Россия?",
        ("Источник 1", "Ещё результаты ▸", ["Не тот источник", "Устарело", "Не ответ"]),
        ("Следующие результаты уже ниже.", "Спасибо за отзыв!"),
    ),
}


def labels(message: dict) -> list[list[str]]:
    """The button labels of a sent message, row by row."""
    return [[b["text"] for b in row] for row in message["reply_markup"]["inline_keyboard"]]


def data(message: dict, label: str) -> str:
    """The callback data of the button labelled ``label``."""
    rows = message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == label)


async def press(bot: Running, message: dict, label: str, code: str):
    """Press ``label`` on ``message`` from an app in ``code``; the bot's answer to the press."""
    before = len(bot.api.requests("answerCallbackQuery"))
    bot.api.push(updates.speaking(updates.callback(data(message, label), message), code))
    return (await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[before:]))[0]


@pytest.mark.parametrize("code", READERS)
async def test_a_question_without_words_is_refused_in_the_readers_language(
    bot: Running, code: str
) -> None:
    _, refusal, suggested, _, _ = READERS[code]
    reply = await bot.send(updates.speaking(updates.message("2099?"), code), USER)
    assert plain(reply).startswith(f"{refusal}\n\n")
    assert suggested in plain(reply)
    assert [suggested] in labels(reply.result)  # the suggestion's button asks it
    english = await bot.send(updates.speaking(updates.message("best pizza in naples?"), code), USER)
    assert plain(english).startswith("I found no sourced answer")  # words of English: English


@pytest.mark.parametrize("code", READERS)
async def test_answer_buttons_and_their_alerts_speak_the_readers_language(
    bot: Running, code: str
) -> None:
    question, _, _, (source, more, reasons), (shown, thanks) = READERS[code]
    first = (await bot.send(updates.speaking(updates.message(question), code), USER)).result
    assert labels(first) == [[f"{source[:-1]}{i}" for i in (1, 2, 3)], [more], ["👍", "👎"]]
    before = len(bot.api.sent(USER))
    await press(bot, first, more, code)
    [second] = await bot.wait_for(lambda: bot.api.sent(USER)[before:])
    assert plain(second).startswith(("Джерела англійською", "Источники на английском"))
    assert [more] in labels(second.result)  # the next page's buttons speak it too
    again = await press(bot, first, more, code)  # the first "More" already served
    assert again.params["text"] == shown
    vote = await press(bot, first, "👎", code)
    assert vote.params["text"] == thanks
    [edit] = await bot.wait_for(lambda: bot.api.requests("editMessageReplyMarkup")[1:])
    assert labels(edit.params)[-1] == reasons  # "why 👎?" in the presser's language
    await press(bot, first, source, code)
    [passage] = await bot.wait_for(lambda: bot.api.sent(USER)[before + 1 :])
    assert passage.params["text"].startswith("<b>")  # the passage in full, as before


async def test_an_expired_button_says_so_in_the_pressers_language(bot: Running) -> None:
    markup = {"inline_keyboard": [[{"text": "Ще результати ▸", "callback_data": "m:" + "0" * 16}]]}
    sent = {**updates.bot_message("an answer from before", USER, 77), "reply_markup": markup}
    bot.api.push(updates.speaking(updates.callback("m:" + "0" * 16, sent), "ru"))
    [alert] = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery"))
    assert alert.params["text"] == "Эта кнопка устарела. Задайте вопрос ещё раз."


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Чого вимагає Росія?", "Вибачте, під час відповіді щось пішло не так."),
        ("Чего требует Россия?", "Извините, при ответе что-то пошло не так."),
    ],
)
async def test_something_went_wrong_is_said_in_the_questions_language(
    bot: Running, question: str, expected: str
) -> None:
    bot.api.fail_next("sendMessage", times=1, status=400)
    reply = await bot.send(updates.message(question), USER)  # an app in English
    assert plain(reply).startswith(expected)


async def test_follow_commands_and_an_admin_refusal_speak_the_senders_app_language(
    bot: Running,
) -> None:
    async def say(text: str, code: str) -> str:
        return plain(await bot.send(updates.speaking(updates.message(text), code), USER))

    assert await say("/follow Istanbul talks", "uk") == (
        "Тепер ви стежите за темою «Istanbul talks». Щойно з'являться нові джерела про неї, я "
        "надішлю цитати."
    )
    assert await say("/following", "ru") == "Вы следите за темами\n• Istanbul talks"
    assert await say("/unfollow", "ru") == "Вы больше не следите ни за одной темой."
    assert await say("/reload", "uk") == "Вибачте, це можуть лише адміністратори бота."


async def test_structured_answers_name_sides_topics_and_rounds_in_the_readers_language(
    bot: Running,
) -> None:
    demands = plain(await bot.send(updates.speaking(updates.message("/demands"), "uk"), USER))
    lines = demands.split("\n")
    assert lines[0] == "Джерела англійською мовою, тож цитати наведено англійською."
    assert lines[2] == "1. Україна · Територія (Крим, Донбас)"
    assert lines[3].startswith("The Ukrainian government seeks")  # the quote as written
    assert "\n2. Росія · Територія (Крим, Донбас)\nWhile Ukraine advocates" in demands
    outcomes = plain(await bot.send(updates.speaking(updates.message("/outcomes"), "ru"), USER))
    assert "\n1. Минский протокол (2014) / Минск-2 (2015)\nSignificant ceasefire" in outcomes
    english = plain(await bot.send(updates.speaking(updates.message("/demands"), "en"), USER))
    assert english.startswith("1. Ukraine · Territory (Crimea, Donbas)\n")


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("hi", "uk", "Як запитати"),  # an English greeting: the app's language
        ("Hello!", "ru", "Как спросить"),
        ("help", "uk", "Як запитати"),
        ("привіт", "ru", "Як запитати"),  # a Ukrainian greeting: Ukrainian
        ("привет", "en", "Как спросить"),
        ("hi", "en", "How to ask"),
    ],
)
async def test_a_greeting_or_help_request_is_answered_in_the_readers_language(
    bot: Running, text: str, code: str, expected: str
) -> None:
    reply = await bot.send(updates.speaking(updates.message(text), code), USER)
    assert plain(reply).startswith(f"{expected}\n")

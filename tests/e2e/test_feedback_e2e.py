"""Feedback end to end: 👍 / 👎 under answers, a reason row, votes in /stats, forgeries refused."""

from __future__ import annotations

from bot import texts
from tests.e2e.conftest import ADMIN, Running
from tests.helpers import updates
from tests.helpers.telegram_html import parse_html

GROUP = -100777


def plain(call) -> str:
    return parse_html(call.params["text"]).plain


def button(message: dict, text: str) -> str:
    """The callback data of the button labelled ``text`` on a sent message."""
    rows = message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == text)


async def press(bot: Running, message: dict, text: str, user: int):
    """Press ``text`` on ``message`` as ``user``; the bot's answer to the press."""
    before = len(bot.api.requests("answerCallbackQuery"))
    bot.api.push(updates.callback(button(message, text), message, user_id=user))
    answers = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[before:])
    return answers[0]


async def stats(bot: Running) -> str:
    return plain(await bot.send(updates.message("/stats", ADMIN, ADMIN), chat_id=ADMIN))


async def test_votes_are_recorded_changed_and_shown_in_stats(bot: Running) -> None:
    asked = updates.message("/ask What does Russia demand?", chat_id=GROUP)
    answer = (await bot.send(asked, chat_id=GROUP)).result
    assert [b["text"] for b in answer["reply_markup"]["inline_keyboard"][-1]] == ["👍", "👎"]
    thanks = await press(bot, answer, "👍", user=2001)
    assert thanks.params["text"] == texts.VOTED
    await press(bot, answer, "👎", user=2002)
    [edit] = await bot.wait_for(lambda: bot.api.requests("editMessageReplyMarkup", ok=True))
    asking = {**answer, "reply_markup": edit.params["reply_markup"]}  # the reasons row added
    await press(bot, asking, "Outdated", user=2002)
    await press(bot, asking, "👎", user=2001)  # changed their mind
    await press(bot, asking, "👍", user=2001)  # and back
    await bot.wait_for(lambda: bot.state.votes.summary().reasons)
    report = await stats(bot)
    assert "Votes: 1 👍, 1 👎 (helpful rate 50%)" in report
    assert "Why 👎: Outdated 1" in report
    assert "Most down-voted\n1👎 1👍 what does russia demand?" in report
    assert len(bot.api.requests("editMessageReplyMarkup")) == 1  # asked why once


async def test_a_forged_vote_is_refused_and_not_counted(bot: Running) -> None:
    answer = (await bot.send(updates.message("What does Russia demand?"), chat_id=1001)).result
    down = button(answer, "👎")
    token = down.split(":")[1]
    other = updates.bot_message("an old answer", 1001, 77)  # no such button on it
    for data, message in (
        (down, other),  # a real answer's data pressed on another message
        (f"r:{token}:w", answer),  # a reason the answer never offered
        (f"v:{token}:+", {**answer, "message_id": 78, "reply_markup": answer["reply_markup"]}),
    ):
        before = len(bot.api.requests("answerCallbackQuery"))
        bot.api.push(updates.callback(data, message))
        calls = lambda b=before: bot.api.requests("answerCallbackQuery")[b:]  # noqa: E731
        [refusal] = await bot.wait_for(calls)
        assert refusal.params["show_alert"] == "true"
        assert refusal.params["text"] in (texts.UNKNOWN_BUTTON, texts.EXPIRED)
    assert "Votes: 0 👍, 0 👎 (helpful rate n/a)" in await stats(bot)
    assert not bot.api.requests("editMessageReplyMarkup")


async def test_a_no_answer_can_be_voted_down_without_reasons(bot: Running) -> None:
    reply = await bot.send(updates.message("What is the best pizza in Naples?"), chat_id=1001)
    await press(bot, reply.result, "👎", user=1001)
    await bot.wait_for(lambda: bot.state.votes.summary().down)
    assert "Most down-voted\n1👎 0👍 what is the best pizza in naples?" in await stats(bot)
    assert not bot.api.requests("editMessageReplyMarkup")

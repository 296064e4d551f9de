"""Flood limits end to end: one user's flood is cut short; everyone else is still answered."""

from __future__ import annotations

import dataclasses

import pytest

from bot.config import Config, FloodConfig
from bot.flood import WINDOW_S, FloodGuard
from tests.e2e.conftest import ADMIN, Running
from tests.helpers import updates
from tests.helpers.telegram_html import parse_html

USER_LIMIT, GROUP_LIMIT = 3, 5
FLOODER, OTHER, GROUP = 1001, 2002, -100555
QUESTION = "What does Russia demand?"


@pytest.fixture
def config(config: Config) -> Config:
    """The e2e config with small limits, so a flood takes a dozen messages."""
    flood = FloodConfig(per_user_per_minute=USER_LIMIT, per_group_per_minute=GROUP_LIMIT)
    return dataclasses.replace(config, telegram=dataclasses.replace(config.telegram, flood=flood))


def texts(bot: Running, chat_id: int) -> list[str]:
    return [parse_html(call.params["text"]).plain for call in bot.api.sent(chat_id)]


def notices(bot: Running, chat_id: int) -> list[str]:
    return [t for t in texts(bot, chat_id) if "in the last minute" in t]


def refused(bot: Running) -> float:
    """Questions the guard stopped so far (its own counter)."""
    samples = bot.state.metrics.flood_refused.collect()[0].samples
    return sum(s.value for s in samples if s.name.endswith("_total"))


async def test_a_flooder_gets_one_notice_and_another_user_is_answered(bot: Running) -> None:
    for _ in range(12):
        bot.api.push(updates.message(QUESTION, chat_id=FLOODER, user_id=FLOODER))
    other = await bot.send(updates.message(QUESTION, chat_id=OTHER, user_id=OTHER), OTHER)
    await bot.wait_for(lambda: refused(bot) == 12 - USER_LIMIT)
    await bot.wait_for(lambda: len(bot.api.sent(FLOODER)) == USER_LIMIT + 1)
    assert parse_html(other.params["text"]).plain.startswith("1.")  # a real answer
    assert len(notices(bot, FLOODER)) == 1
    assert "3 questions in the last minute" in notices(bot, FLOODER)[0]
    answers = [t for t in texts(bot, FLOODER) if t.startswith("1.")]
    assert len(answers) == USER_LIMIT
    assert notices(bot, OTHER) == []


async def test_the_flooder_is_answered_again_once_the_minute_has_passed(bot: Running) -> None:
    now = [0.0]
    bot.state.flood = FloodGuard(bot.state.config.telegram.flood, clock=lambda: now[0])
    for _ in range(USER_LIMIT + 2):
        bot.api.push(updates.message(QUESTION, chat_id=FLOODER, user_id=FLOODER))
    await bot.wait_for(lambda: refused(bot) == 2)
    await bot.wait_for(lambda: len(bot.api.sent(FLOODER)) == USER_LIMIT + 1)  # all sent
    now[0] += WINDOW_S
    reply = await bot.send(updates.message(QUESTION, chat_id=FLOODER, user_id=FLOODER), FLOODER)
    assert parse_html(reply.params["text"]).plain.startswith("1.")
    assert len(notices(bot, FLOODER)) == 1


async def test_in_a_group_one_member_flooding_leaves_room_for_the_others(bot: Running) -> None:
    mention = f"@CeasefireTestBot {QUESTION}"
    for _ in range(10):
        bot.api.push(updates.message(mention, chat_id=GROUP, user_id=FLOODER))
    await bot.wait_for(lambda: refused(bot) == 10 - USER_LIMIT)
    await bot.wait_for(lambda: len(bot.api.sent(GROUP)) == USER_LIMIT + 1)  # all sent
    reply = await bot.send(updates.message(mention, chat_id=GROUP, user_id=OTHER), GROUP)
    assert parse_html(reply.params["text"]).plain.startswith("1.")
    assert len(notices(bot, GROUP)) == 1  # the flooder's, addressed to them by the quote


async def test_a_busy_group_gets_one_group_notice(bot: Running) -> None:
    for user in range(1, GROUP_LIMIT + 4):
        bot.api.push(updates.message("/ask minsk", chat_id=GROUP, user_id=user))
    await bot.wait_for(lambda: refused(bot) == 3)
    await bot.wait_for(lambda: len(bot.api.sent(GROUP)) == GROUP_LIMIT + 1)
    assert len(notices(bot, GROUP)) == 1
    assert "This group has asked 5 questions" in notices(bot, GROUP)[0]


async def test_group_chatter_not_for_the_bot_is_not_counted(bot: Running) -> None:
    for _ in range(10):
        bot.api.push(updates.message("lunch anyone?", chat_id=GROUP, user_id=FLOODER))
    reply = await bot.send(updates.message(f"/ask {QUESTION}", GROUP, FLOODER), GROUP)
    assert parse_html(reply.params["text"]).plain.startswith("1.")
    assert refused(bot) == 0


async def test_a_channel_posting_commands_is_one_sender_with_the_flood_limit(
    bot: Running,
) -> None:
    channel = -100999  # its posts come from no user: the channel speaks for its admins
    for _ in range(USER_LIMIT + 2):
        bot.api.push(updates.channel_post("/following", channel))
    await bot.wait_for(lambda: refused(bot) == 2)
    await bot.wait_for(lambda: len(bot.api.sent(channel)) == USER_LIMIT + 1)  # all sent
    assert texts(bot, channel).count("You follow no topic. Try /follow Istanbul talks.") == 3
    assert len(notices(bot, channel)) == 1
    assert notices(bot, channel)[0].startswith(  # worded for the channel, not "You've asked"
        "This channel is posting too fast: 3 commands in the last minute, my limit for a channel."
    )


async def test_admins_are_exempt(bot: Running) -> None:
    for _ in range(USER_LIMIT + 3):
        bot.api.push(updates.message(QUESTION, chat_id=ADMIN, user_id=ADMIN))
    await bot.wait_for(lambda: len(bot.api.sent(ADMIN)) == USER_LIMIT + 3)
    assert notices(bot, ADMIN) == []
    assert refused(bot) == 0


async def test_button_presses_count_and_the_notice_is_an_alert(bot: Running) -> None:
    start = await bot.send(updates.message("/start", FLOODER, FLOODER), FLOODER)
    data = start.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    for _ in range(USER_LIMIT + 2):
        bot.api.push(updates.callback(data, start.result, user_id=FLOODER))
    await bot.wait_for(lambda: len(bot.api.requests("answerCallbackQuery")) == USER_LIMIT + 2)
    alerts = [c.params for c in bot.api.requests("answerCallbackQuery") if c.params.get("text")]
    assert len(alerts) == 1 and "in the last minute" in alerts[0]["text"]
    assert all(c.ok for c in bot.api.requests("answerCallbackQuery"))  # silence still answers
    assert refused(bot) == 3  # /start counted too: 1 + 5 presses, 3 answered


async def test_thanks_and_votes_do_not_count_and_the_notice_says_when(bot: Running) -> None:
    now = [0.0]
    bot.state.flood = FloodGuard(bot.state.config.telegram.flood, clock=lambda: now[0])
    ask = updates.message(QUESTION, chat_id=FLOODER, user_id=FLOODER)
    first = await bot.send(ask, FLOODER)
    for _ in range(3):
        bot.api.push(updates.message("thanks!", chat_id=FLOODER, user_id=FLOODER))
        vote = next(
            b
            for row in first.params["reply_markup"]["inline_keyboard"]
            for b in row
            if b["text"] == "👍"
        )
        bot.api.push(updates.callback(vote["callback_data"], first.result, user_id=FLOODER))
    for _ in range(USER_LIMIT - 1):  # the limit is still whole: these are all answered
        reply = await bot.send(updates.message(QUESTION, chat_id=FLOODER, user_id=FLOODER), FLOODER)
        assert parse_html(reply.params["text"]).plain.startswith("1.")
    now[0] = 20.0
    notice = await bot.send(updates.message(QUESTION, chat_id=FLOODER, user_id=FLOODER), FLOODER)
    assert "Please ask again in 40 seconds" in parse_html(notice.params["text"]).plain


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "uk",
            "Ви поставили 3 запитання за останню хвилину — це мій ліміт для однієї людини. "
            "Запитайте знову через 60 секунд; на запитання, надіслані раніше, я не відповідаю.",
        ),
        (
            "ru",
            "Вы задали 3 вопроса за последнюю минуту — это мой лимит для одного человека. "
            "Спросите снова через 60 секунд; на вопросы, отправленные раньше, я не отвечаю.",
        ),
    ],
)
async def test_the_notice_speaks_the_flooders_app_language(
    bot: Running, code: str, expected: str
) -> None:
    bot.state.flood = FloodGuard(bot.state.config.telegram.flood, clock=lambda: 0.0)
    ask = lambda: updates.speaking(updates.message(QUESTION, FLOODER, FLOODER), code)  # noqa: E731
    for _ in range(USER_LIMIT):
        await bot.send(ask(), FLOODER)
    notice = await bot.send(ask(), FLOODER)
    assert parse_html(notice.params["text"]).plain == expected

"""The flood guard's notice: in the asker's language, with the numbers in their right form."""

from __future__ import annotations

import pytest

from bot import guard
from bot.config import FloodConfig
from bot.flood import Decision, FloodGuard


@pytest.mark.parametrize(
    ("decision", "wait_s", "language", "expected"),
    [
        (
            Decision.NOTICE_USER,
            41,
            "en",
            "You've asked 21 questions in the last minute, my limit per person. "
            "Please ask again in 41 seconds; questions sent before then are not answered.",
        ),
        (
            Decision.NOTICE_USER,
            41,
            "uk",
            "Ви поставили 21 запитання за останню хвилину — це мій ліміт для однієї людини. "
            "Запитайте знову через 41 секунду; на запитання, надіслані раніше, я не відповідаю.",
        ),
        (
            Decision.NOTICE_GROUP,
            1,
            "ru",
            "Эта группа задала 25 вопросов за последнюю минуту — это мой лимит для группы. "
            "Я снова буду отвечать через мгновение; на вопросы, отправленные раньше, я не отвечаю.",
        ),
        (
            Decision.NOTICE_GROUP,
            3,
            "uk",
            "Ця група поставила 25 запитань за останню хвилину — це мій ліміт для групи. "
            "Я знову відповідатиму через 3 секунди; на запитання, надіслані раніше, я не "
            "відповідаю.",
        ),
    ],
)
def test_the_notice_says_when_in_the_askers_language(decision, wait_s, language, expected) -> None:
    limits = FloodGuard(FloodConfig(per_user_per_minute=21, per_group_per_minute=25))
    assert guard.notice(decision, limits, wait_s, language) == expected


@pytest.mark.parametrize(
    ("decision", "language", "expected"),
    [
        (
            Decision.NOTICE_USER,
            "en",
            "This channel is posting too fast: 21 commands in the last minute, my limit for a "
            "channel. I'll answer again in 41 seconds; commands posted before then are not "
            "answered.",
        ),
        (
            Decision.NOTICE_GROUP,
            "uk",
            "Цей канал публікує надто швидко: 25 команд за останню хвилину — це мій ліміт для "
            "каналу. Я знову відповідатиму через 41 секунду; на команди, опубліковані раніше, я "
            "не відповідаю.",
        ),
    ],
)
def test_in_a_channel_the_notice_speaks_to_the_channel_not_a_person(
    decision, language, expected
) -> None:
    limits = FloodGuard(FloodConfig(per_user_per_minute=21, per_group_per_minute=25))
    assert guard.notice(decision, limits, 41, language, sender="channel") == expected


@pytest.mark.parametrize(
    ("sender", "language", "expected"),
    [
        (
            "anonymous",
            "en",
            "This group's anonymous admins are asking too fast: 21 questions in the last minute, "
            "my limit per sender. I'll answer them again in 41 seconds; questions sent before "
            "then are not answered.",
        ),
        (
            "as_channel",
            "uk",
            "Цей канал запитує надто швидко: 21 запитання за останню хвилину — це мій ліміт для "
            "одного відправника. Я знову відповідатиму йому через 41 секунду; на запитання, "
            "надіслані раніше, я не відповідаю.",
        ),
        (
            "anonymous",
            "ru",
            "Анонимные администраторы этой группы спрашивают слишком быстро: 21 вопрос за "
            "последнюю минуту — это мой лимит для одного отправителя. Я снова буду им отвечать "
            "через 41 секунду; на вопросы, отправленные раньше, я не отвечаю.",
        ),
    ],
)
def test_a_group_message_sent_as_a_chat_gets_a_notice_worded_for_that_sender(
    sender, language, expected
) -> None:
    limits = FloodGuard(FloodConfig(per_user_per_minute=21, per_group_per_minute=25))
    assert guard.notice(Decision.NOTICE_USER, limits, 41, language, sender=sender) == expected


def test_the_group_limit_is_the_groups_whoever_sent_the_last_question() -> None:
    limits = FloodGuard(FloodConfig(per_user_per_minute=21, per_group_per_minute=25))
    said = guard.notice(Decision.NOTICE_GROUP, limits, 41, "en", sender="as_channel")
    assert said.startswith("This group has asked 25 questions in the last minute")

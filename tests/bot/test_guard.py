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
    assert guard.notice(decision, limits, 41, language, channel=True) == expected

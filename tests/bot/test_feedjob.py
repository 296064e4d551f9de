"""The admins' feed digest and /feeds fit one Telegram message, whatever the batch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram import Bot

from bot import adding
from bot.digest import digest_html
from bot.feedjob import send_digest
from bot.feeds import Batch
from tests.helpers.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers.telegram_html import parse_html


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def busy_batch() -> Batch:
    title = "Talks resume in Geneva as envoys trade drafts on a monitored line of contact " * 3
    added = tuple(
        adding.Outcome(f"https://n.example/{i}", adding.ADDED, f"{title}{i}", "2026-11-28")
        for i in range(26)
    )
    failed = tuple(f"https://n.example/f{i}: {'timed out after 20 s; ' * 12}" for i in range(14))
    return Batch(("https://n.example/rss",), added, failed)


async def test_a_poll_that_added_many_articles_still_reaches_the_admins(api: FakeBotApi) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await send_digest(bot, [4242], busy_batch())
    [sent] = api.requests("sendMessage")
    assert sent.ok, sent.error  # within Telegram's 4096 characters
    text = parse_html(sent.params["text"]).plain
    assert text.startswith("Feeds: 1 polled, 26 article(s) added.")
    assert "➕ … and 11 more" in text and "Failures" in text and "more lines" in text


def test_a_quiet_poll_lists_everything() -> None:
    batch = busy_batch()
    small = Batch(batch.polled, batch.added[:2], batch.failed[:1])
    text = parse_html(digest_html(small)).plain
    assert text.count("➕") == 2 and text.count("⚠️") == 1 and "more" not in text


def test_the_admins_hear_of_a_backlog_as_the_terminal_does() -> None:
    batch = busy_batch()
    waiting = Batch(batch.polled, batch.added[:20], (), backlog=7, unmatched=2)
    text = parse_html(digest_html(waiting)).plain
    assert text.splitlines()[-2:] == [
        "2 new entries named no keyword: not fetched.",
        "7 more article(s) wait for the next poll.",
    ]

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


def updated(title: str, published: str | None) -> adding.Outcome:
    return adding.Outcome("https://n.example/u", adding.UPDATED, title, published)


async def test_the_admins_see_each_edited_entry_once_with_its_date(api: FakeBotApi) -> None:
    fresh = adding.Outcome("https://n.example/1", adding.ADDED, "Talks resume", "2026-11-28")
    edited = (updated("Truce <draft> & annex revised", "2026-11-26"), updated("Envoys meet", None))
    batch = Batch(("https://n.example/rss",), (fresh, *edited), ())
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await send_digest(bot, [4242], batch)
    [sent] = api.requests("sendMessage")
    assert sent.ok, sent.error
    assert parse_html(sent.params["text"]).plain.splitlines() == [
        "Feeds: 1 polled, 1 article(s) added, 2 updated.",
        "➕ Talks resume (2026-11-28)",
        "🔄 Truce <draft> & annex revised (2026-11-26)",
        "🔄 Envoys meet",
    ]


def test_many_edited_entries_leave_room_for_the_failures() -> None:
    edited = tuple(updated(f"Revised draft {i}", "2026-11-27") for i in range(20))
    batch = Batch(("https://n.example/rss",), edited, ("https://n.example/f: timed out",))
    lines = parse_html(digest_html(batch)).plain.splitlines()
    assert lines[0] == "Feeds: 1 polled, 0 article(s) added, 20 updated."
    assert lines[1:17] == [
        *(f"🔄 Revised draft {i} (2026-11-27)" for i in range(15)),
        "🔄 … and 5 more",
    ]
    assert lines[17:] == ["", "Failures", "⚠️ https://n.example/f: timed out"]

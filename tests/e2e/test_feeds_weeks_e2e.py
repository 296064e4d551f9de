"""Feeds over weeks in the running bot: the JobQueue's polls, the admins' digests, /feeds,
followers' pushes and "latest" questions in three languages, against real-world feeds."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from bot.config import Config
from bot.feedconfig import FeedConfig
from bot.feedjob import FEEDS_JOB
from tests.bot.test_feeds_weeks import ATOM, RSS, based, first_week
from tests.e2e.conftest import ADMIN, Running, fetching, plain
from tests.helpers.web_server import Route, WebServer

ENERGY, SWAP, ISTANBUL = 3001, 3002, 3003


@pytest.fixture
def web() -> Iterator[WebServer]:
    with first_week() as server:
        yield server


@pytest.fixture
def config(config: Config, web: WebServer) -> Config:
    watched = (FeedConfig(web.url("/rss.xml"), 1800), FeedConfig(web.url("/atom.xml"), 1800))
    return fetching(config, feeds=watched)


def time_passes(config: Config) -> None:
    """Every feed is due again, as after its ``every`` (or its back-off) has gone by."""
    with sqlite3.connect(config.storage.dir / "news.sqlite3") as con:
        con.execute("UPDATE feeds SET next_due = 0")
    con.close()


async def poll(bot: Running) -> list[str]:
    """Run the feed job once; the digests the admin got."""
    (job,) = bot.app.job_queue.get_jobs_by_name(FEEDS_JOB)
    before = len(bot.api.sent(ADMIN))
    await job.run(bot.app)
    return [plain(c) for c in bot.api.sent(ADMIN)[before:]]


async def test_weeks_of_feeds_in_the_running_bot(
    bot: Running, web: WebServer, config: Config
) -> None:
    await bot.say("/follow energy truce", ENERGY)
    await bot.say("/follow Istanbul round", ISTANBUL)
    (digest,) = await poll(bot)
    assert digest.startswith("Feeds: 2 polled, 9 article(s) added.")
    assert "➕ Zelensky and Erdogan speak late into the night (2026-11-28)" in digest
    assert "➕ Kremlin spokesman comments on talks schedule\n" in digest and "2100" not in digest
    assert digest.count("Envoys meet in Riyadh") == 1  # RSS redirect and Atom AMP: one story
    (energy,) = await bot.wait_for(lambda: bot.api.sent(ENERGY)[1:])
    assert plain(energy).startswith("🔔 New sources on “energy truce”:")
    assert (
        "— Envoys meet in Riyadh on an energy truce, Iryna Kovalenko, Steppe Herald, 2026-11-27"
        in (plain(energy))
    )
    assert "Станом на 2026-11-28" in await bot.say("Що нового?")
    assert "По состоянию на 2026-11-28" in await bot.say("Какие последние новости?")

    # a week later: a new story (and its print edition), an edited entry; the Atom feed fails
    web.route("/rss.xml", Route(based(web, "rss2.xml"), 200, RSS, etag='"w2"'))
    web.route("/atom.xml", Route(b"<h1>Internal error</h1>", 500, "text/html"))
    time_passes(config)
    (digest,) = await poll(bot)
    assert digest.splitlines() == [
        "Feeds: 2 polled, 1 article(s) added.",
        "➕ Istanbul round set for next week, Turkey says (2026-11-29)",
        "",
        "Failures",
        f"⚠️ feed {web.url('/atom.xml')}: HTTP error 500 Internal Server Error",
    ]
    pushed = await bot.wait_for(lambda: bot.api.sent(ISTANBUL)[2:])
    assert "— Istanbul round set for next week, Turkey says, Wire Service Test, 2026-11-29" in (
        plain(pushed[0])
    )
    assert "last error: HTTP error 500 Internal Server Error" in await bot.say("/feeds", ADMIN)
    latest = await bot.say("What is the latest news?")
    assert latest.startswith("As of 2026-11-29 (the newest source shown).")

    # the Atom feed is back: nothing new, no digest, no push, its error is gone
    pushes = len(bot.api.sent())
    web.route("/atom.xml", Route(based(web, "atom1.xml"), 200, ATOM, etag='"a1"'))
    time_passes(config)
    assert await poll(bot) == []
    shown = await bot.say("/feeds", ADMIN)
    assert "last error" not in shown and "items added: 9" in shown
    assert len(bot.api.sent()) == pushes + 1  # the /feeds reply

"""Feeds in the running bot: the scheduled job adds entries (one digest); failures don't stop it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Config
from bot.feedconfig import FeedConfig
from bot.feedjob import FEEDS_JOB
from tests.e2e.conftest import ADMIN, Running, fetching, plain
from tests.helpers.web_server import Route, WebServer, page

RSS = "application/rss+xml"


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        for i in (1, 2, 3):
            server.route(f"/entry{i}.html", Route(page(f"entry{i}.html")))
        feed = page("rss.xml").replace(b"BASE", server.url("").encode())
        server.route("/rss.xml", Route(feed, 200, RSS))
        yield server


@pytest.fixture
def config(config: Config, web: WebServer) -> Config:
    """The e2e config watching the test feed and a feed that is gone."""
    watched = (FeedConfig(web.url("/rss.xml"), 1800), FeedConfig(web.url("/gone.xml"), 600))
    return fetching(config, feeds=watched)


async def test_the_feed_job_adds_three_sources_with_one_digest(
    bot: Running, web: WebServer
) -> None:
    (job,) = bot.app.job_queue.get_jobs_by_name(FEEDS_JOB)
    assert job.trigger.interval.total_seconds() == 600  # the shortest `every`
    assert "United Arab Emirates" not in await bot.say("Who brokered the prisoner swap at Sumy?")
    before = len(bot.api.sent(ADMIN))
    await job.run(bot.app)
    digests = bot.api.sent(ADMIN)[before:]
    assert len(digests) == 1
    digest = plain(digests[0])
    assert digest.startswith("Feeds: 2 polled, 3 article(s) added.")
    assert "➕ Prisoner exchange completed at the Sumy crossing (2026-11-25)" in digest
    assert f"feed {web.url('/gone.xml')}: HTTP error 404 Not Found" in digest
    assert len(bot.state.knowledge.sources) == 7
    answer = await bot.say("Who brokered the prisoner swap at Sumy?")
    assert "United Arab Emirates" in answer
    assert (
        "— Prisoner exchange completed at the Sumy crossing, Wire Service Test, 2026-11-25"
        in answer
    )
    latest = await bot.say("What is the latest on the talks?")
    assert latest.startswith("As of 2026-11-2")
    await job.run(bot.app)  # nothing new, the failing feed is backing off: no second digest
    assert len(bot.api.sent(ADMIN)) == before + 1


async def test_feeds_shows_each_feed_and_a_failing_feed_leaves_the_bot_answering(
    bot: Running, web: WebServer
) -> None:
    web.routes["/rss.xml"] = Route(b"<rss><channel><item><title>broken", 200, RSS)
    (job,) = bot.app.job_queue.get_jobs_by_name(FEEDS_JOB)
    await job.run(bot.app)
    assert "What does Russia demand" not in await bot.say("What does Russia demand?")
    answer = await bot.say("What does Russia demand?")
    assert "no sourced answer" not in answer and "—" in answer
    shown = await bot.say("/feeds", ADMIN)
    assert shown.startswith("Feeds (2)")
    assert f"{web.url('/gone.xml')} (every 10m)" in shown
    assert "last error: HTTP error 404 Not Found (next try" in shown
    assert "last error: malformed feed" in shown and "items added: 0" in shown
    assert "only the bot's admins" in await bot.say("/feeds")

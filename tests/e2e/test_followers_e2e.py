"""Followers end to end: /follow, a reload that adds a matching source pushes its excerpts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Config
from bot.followers import MAX_TOPICS, FollowerStore
from tests.e2e.conftest import ADMIN, Running, fetching, plain
from tests.helpers.web_server import Route, WebServer, page

GRAIN, SWAP, BLOCKER = 2001, 2002, 2003


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        server.route("/article.html", Route(page("article.html")))
        server.route("/entry1.html", Route(page("entry1.html")))
        yield server


@pytest.fixture
def config(config: Config) -> Config:
    return fetching(config)


async def test_a_follower_gets_the_new_excerpts_once(
    bot: Running, web: WebServer, config: Config
) -> None:
    assert (await bot.say("/follow grain ship inspections", GRAIN)).startswith(
        "Following “grain ship inspections”."
    )
    await bot.say("/follow Sumy prisoner swap", SWAP)
    await bot.say("/follow grain ship inspections", BLOCKER)
    assert await bot.say("/following", GRAIN) == "You follow\n• grain ship inspections"
    bot.api.blocked.add(BLOCKER)

    await bot.say(f"/add {web.url('/article.html')}", ADMIN)
    pushed = await bot.wait_for(lambda: bot.api.sent(GRAIN)[2:])
    text = plain(pushed[0])
    assert text.startswith("🔔 New sources on “grain ship inspections”:")
    assert "Bulgarian and Romanian harbour inspectors" in text
    assert (
        "— Black Sea talks agree grain ship inspections, Olena Marchuk, Harbour Gazette, 2026-11-20"
        in text
    )
    store = FollowerStore.of(config)
    await bot.wait_for(lambda: BLOCKER not in store.everyone())  # blocked the bot: dropped
    assert store.everyone() == {GRAIN: ["grain ship inspections"], SWAP: ["Sumy prisoner swap"]}

    await bot.say(f"/add {web.url('/entry1.html')}", ADMIN)
    swap = await bot.wait_for(lambda: bot.api.sent(SWAP)[1:])
    assert "United Arab Emirates" in plain(swap[0])
    assert len(bot.api.sent(GRAIN)) == 3  # the swap article does not match the grain topic


async def test_follow_unfollow_and_limits(bot: Running, config: Config) -> None:
    assert "/follow TOPIC" in await bot.say("/follow", GRAIN)
    for i in range(MAX_TOPICS):
        await bot.say(f"/follow topic {i}", GRAIN)
    assert "already follow 10 topics" in await bot.say("/follow one more", GRAIN)
    assert await bot.say("/unfollow TOPIC 3", GRAIN) == "Stopped following “TOPIC 3”."
    assert await bot.say("/unfollow topic 3", GRAIN) == "You were not following “topic 3”."
    assert len(FollowerStore.of(config).topics(GRAIN)) == MAX_TOPICS - 1
    assert await bot.say("/unfollow", GRAIN) == "Stopped following any topic."
    assert await bot.say("/following", GRAIN) == "You follow no topic. Try /follow Istanbul talks."

"""Followers end to end: /follow, a reload that adds a matching source pushes its excerpts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Config
from bot.followers import MAX_TOPICS, FollowerStore
from tests.e2e.conftest import ADMIN, Running, fetching, plain
from tests.helpers import updates
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


FORUM, GROUP, SUPERGROUP, GONE = -100900, -555, -100555, -100901


async def test_pushes_reach_forum_topics_upgraded_groups_and_leave_gone_chats(
    bot: Running, web: WebServer, config: Config
) -> None:
    follow = updates.message("/follow grain ship inspections", FORUM, message_thread_id=42)
    follow["message"]["is_topic_message"] = True
    reply = await bot.send(follow, chat_id=FORUM)
    assert reply.result["message_thread_id"] == 42  # confirmed in the topic
    for chat in (GROUP, GONE, BLOCKER):
        await bot.send(updates.message("/follow grain ship inspections", chat), chat_id=chat)
    bot.api.migrated[GROUP] = SUPERGROUP
    bot.api.gone.add(GONE)
    await bot.say(f"/add {web.url('/article.html')}", ADMIN)
    [pushed] = await bot.wait_for(lambda: bot.api.sent(FORUM)[1:])
    assert pushed.params["message_thread_id"] == "42"  # into the topic it was followed in
    assert "grain ship inspections" in plain(pushed)
    [moved] = await bot.wait_for(lambda: bot.api.sent(SUPERGROUP))
    assert "grain ship inspections" in plain(moved)
    store = FollowerStore.of(config)
    await bot.wait_for(lambda: GONE not in store.everyone())
    assert set(store.everyone()) == {FORUM, SUPERGROUP, BLOCKER}
    await bot.wait_for(lambda: bot.api.sent(BLOCKER)[1:])  # its push too

    bot.api.push(updates.bot_status(BLOCKER, "kicked"))  # a user who blocks the bot
    await bot.send(updates.message("/follow Sumy", -556), chat_id=-556)
    bot.api.push(updates.migrated(-556, -100556))  # the group is upgraded
    await bot.wait_for(lambda: -100556 in store.everyone())
    assert store.everyone() == {
        FORUM: ["grain ship inspections"],
        SUPERGROUP: ["grain ship inspections"],
        -100556: ["Sumy"],
    }


async def test_a_closed_forum_topic_gets_its_push_in_the_main_thread(
    bot: Running, web: WebServer, config: Config
) -> None:
    follow = updates.message("/follow grain ship inspections", FORUM, message_thread_id=42)
    follow["message"]["is_topic_message"] = True
    await bot.send(follow, chat_id=FORUM)
    bot.api.closed_topics.add((FORUM, 42))
    await bot.say(f"/add {web.url('/article.html')}", ADMIN)
    [pushed] = await bot.wait_for(lambda: bot.api.sent(FORUM)[1:])
    assert "message_thread_id" not in pushed.params
    assert "grain ship inspections" in plain(pushed)


CHANNEL = -100999


async def test_a_channels_admins_follow_topics_by_posting_commands_in_the_channel(
    bot: Running, web: WebServer, config: Config
) -> None:
    # a post in a channel comes as a channel_post, from no user: the channel (its admins) posts
    def post(text: str) -> dict:
        return updates.channel_post(text, CHANNEL)

    followed = await bot.send(post("/follow grain ship inspections"), CHANNEL)
    assert plain(followed).startswith("Following “grain ship inspections”. When new sources")
    assert followed.result["chat"]["type"] == "channel"  # answered in the channel
    following = await bot.send(post("/following@CeasefireTestBot"), CHANNEL)
    assert plain(following) == "You follow\n• grain ship inspections"
    await bot.handle(post("/follow@OtherBot Sumy prisoner swap"))  # another bot's command
    assert FollowerStore.of(config).everyone() == {CHANNEL: ["grain ship inspections"]}

    await bot.say(f"/add {web.url('/article.html')}", ADMIN)
    [pushed] = await bot.wait_for(lambda: bot.api.sent(CHANNEL)[2:])
    assert plain(pushed).startswith("🔔 New sources on “grain ship inspections”:")
    stopped = await bot.send(post("/unfollow grain ship inspections"), CHANNEL)
    assert plain(stopped) == "Stopped following “grain ship inspections”."
    assert FollowerStore.of(config).everyone() == {}

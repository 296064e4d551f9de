"""The counters other parts of the bot feed: feed and fetch errors, reloads, as /metrics shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.config import Config
from bot.feedconfig import FeedConfig
from bot.feedjob import FEEDS_JOB
from tests.e2e.conftest import ADMIN, Running
from tests.helpers import updates
from tests.helpers.web_server import Route, WebServer, page


@pytest.fixture
def web() -> Iterator[WebServer]:
    """A feed of three entries whose third page is missing, and no feed at /gone.xml."""
    with WebServer() as server:
        for i in (1, 2):
            server.route(f"/entry{i}.html", Route(page(f"entry{i}.html")))
        feed = page("rss.xml").replace(b"BASE", server.url("").encode())
        server.route("/rss.xml", Route(feed, 200, "application/rss+xml"))
        yield server


@pytest.fixture
def config(config: Config, web: WebServer) -> Config:
    watched = (FeedConfig(web.url("/rss.xml"), 1800), FeedConfig(web.url("/gone.xml"), 600))
    know = replace(config.knowledge, allow_private_hosts=True, feeds=watched, fetch_timeout=2.0)
    return replace(config, knowledge=know)


def sample(bot: Running, name: str, **labels: str) -> float | None:
    return bot.state.metrics.registry.get_sample_value(name, labels)


async def test_feed_fetch_and_reload_counters(bot: Running, web: WebServer) -> None:
    (job,) = bot.app.job_queue.get_jobs_by_name(FEEDS_JOB)
    await job.run(bot.app)
    assert sample(bot, "ceasefire_feed_errors_total") == 1  # /gone.xml
    assert sample(bot, "ceasefire_fetch_errors_total") == 1  # entry3.html
    assert sample(bot, "ceasefire_reloads_total", result="swapped") == 1  # one for the batch
    await bot.send(updates.message(f"/add {web.url('/missing.html')}", ADMIN, ADMIN), ADMIN)
    assert sample(bot, "ceasefire_fetch_errors_total") == 2
    text = bot.state.metrics.exposition().decode()
    assert "ceasefire_feed_errors_total 1.0" in text
    assert "ceasefire_fetch_errors_total 2.0" in text


async def test_votes_are_counted_once_per_press_and_reasons_not_again(bot: Running) -> None:
    asked = updates.message("What does Russia demand?", chat_id=1001, user_id=1001)
    answer = (await bot.send(asked, chat_id=1001)).result
    await press(bot, answer, "👍")
    await press(bot, answer, "👎")  # changed: one of each cast
    [edit] = await bot.wait_for(lambda: bot.api.requests("editMessageReplyMarkup", ok=True))
    await press(bot, {**answer, "reply_markup": edit.params["reply_markup"]}, "Outdated")
    assert sample(bot, "ceasefire_votes_total", vote="up") == 1
    assert sample(bot, "ceasefire_votes_total", vote="down") == 1
    await press(bot, answer, "👎")  # the same vote again: not counted twice
    assert sample(bot, "ceasefire_votes_total", vote="down") == 1
    # another member who only picks a reason casts a 👎, as /stats counts it
    with_reasons = {**answer, "reply_markup": edit.params["reply_markup"]}
    await press(bot, with_reasons, "Wrong source", user_id=1002)
    assert sample(bot, "ceasefire_votes_total", vote="down") == 2
    # counted once the reply is sent, so maybe just after the test saw it
    await bot.wait_for(lambda: sample(bot, "ceasefire_questions_total", via="private") == 1)


async def press(bot: Running, message: dict, text: str, user_id: int = 1001) -> None:
    """Press the button labelled ``text`` on ``message``; wait for the bot's answer to it."""
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if b["text"] == text)
    before = len(bot.api.requests("answerCallbackQuery"))
    bot.api.push(updates.callback(data, message, user_id=user_id))
    await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[before:])


async def test_a_refused_upload_counts_as_a_refused_reload(bot: Running) -> None:
    file = bot.api.add_file(b"---\ntitle: [unclosed\n---\nText.\n", "bad.md")
    await bot.send(updates.document(file, chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN)
    assert sample(bot, "ceasefire_reloads_total", result="refused") == 1

"""Flood limits, 5xx, polling errors, crashes, load and slow reloads: the reply still arrives."""

from __future__ import annotations

import asyncio
import io
import sys
import threading

import pytest

from bot import app as app_module
from bot.loaded import Loaded
from tests.e2e.conftest import ADMIN, Running
from tests.helpers import updates
from tests.helpers.fake_bot_api import TOKEN
from tests.helpers.telegram_html import parse_html


def statuses(bot: Running, method: str) -> list[int]:
    return [c.status for c in bot.api.requests(method)]


async def test_429_retry_after_is_waited_out(bot: Running) -> None:
    bot.api.fail_next("sendMessage", times=1, status=429, retry_after=1)
    reply = await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    assert "1." in parse_html(reply.params["text"]).plain
    # the fake answers 429 again to a retry before retry_after is over, as Telegram does
    assert statuses(bot, "sendMessage") == [429, 200]


async def test_three_502s_then_the_reply_arrives(bot: Running) -> None:
    bot.api.fail_next("sendMessage", times=3, status=502)
    reply = await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    assert "1." in parse_html(reply.params["text"]).plain
    assert statuses(bot, "sendMessage") == [502, 502, 502, 200]


async def test_bad_request_is_not_retried_and_user_is_told(bot: Running, logs: io.StringIO):
    bot.api.fail_next("sendMessage", times=1, status=400)
    reply = await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    assert "something went wrong" in parse_html(reply.params["text"]).plain
    assert statuses(bot, "sendMessage") == [400, 200]
    log = logs.getvalue()
    assert "update 1 failed" in log and "Traceback" in log and "BadRequest" in log


async def test_a_user_who_blocked_the_bot_costs_one_warning(bot: Running, logs: io.StringIO):
    bot.api.blocked.add(1002)
    bot.api.push(updates.message("Who mediates the talks?", chat_id=1002, user_id=1002))
    failed = lambda: bot.api.requests("sendMessage", ok=False)  # noqa: E731
    await bot.wait_for(lambda: "update 1" in logs.getvalue() or len(failed()) > 1)
    await bot.send(updates.message("/help"), chat_id=1001)
    assert len(failed()) == 1  # no "something went wrong" sent after it
    log = logs.getvalue()
    assert "no reply: Forbidden" in log and "Traceback" not in log


async def test_polling_errors_do_not_stop_the_bot(bot: Running) -> None:
    bot.api.fail_next("getUpdates", times=2, status=502)
    reply = await bot.send(updates.message("/help"), chat_id=1001, timeout=20)
    assert "How to ask" in parse_html(reply.params["text"]).plain


async def test_twenty_users_at_once(bot: Running) -> None:
    users = range(2001, 2021)
    for user in users:
        question = "What happened at the Istanbul talks?"
        bot.api.push(updates.message(question, chat_id=user, user_id=user))
    await bot.wait_for(lambda: all(bot.api.sent(u) for u in users), timeout=30)
    for user in users:
        shown = parse_html(bot.api.sent(user)[0].params["text"]).plain
        assert shown.startswith("1.") and "Istanbul" in shown
    assert not bot.api.requests("sendMessage", ok=False)


async def test_questions_are_answered_during_a_slow_reload(
    bot: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    load = Loaded.load
    building, finish = threading.Event(), threading.Event()

    def slow_load(dirs, cache=None):
        building.set()
        finish.wait(30)  # a worker thread: the event loop stays free
        return load(dirs, cache)

    monkeypatch.setattr(Loaded, "load", staticmethod(slow_load))
    bot.api.push(updates.message("/reload", chat_id=ADMIN, user_id=ADMIN))
    assert await asyncio.to_thread(building.wait, 10)
    reply = await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    assert "1." in parse_html(reply.params["text"]).plain
    assert not bot.api.sent(ADMIN)  # the reload is still running
    finish.set()
    report = await bot.wait_for(lambda: bot.api.sent(ADMIN))
    assert "Reloaded" in parse_html(report[0].params["text"]).plain


async def test_the_bot_shortens_the_gil_switch_interval_for_its_reload_thread(
    bot: Running,
) -> None:
    # a reload's build thread holds the GIL in long stretches; the event loop must get it back
    # often (the latency effect is measured by `bench --e2e --reload-passages`, not here)
    assert sys.getswitchinterval() == pytest.approx(app_module.SWITCH_INTERVAL_S)
    assert app_module.SWITCH_INTERVAL_S < 0.005  # below CPython's default


async def test_token_never_logged(bot: Running, logs: io.StringIO) -> None:
    bot.api.fail_next("sendMessage", times=2, status=502)
    await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    text = logs.getvalue()
    assert "getUpdates" in text or "sendMessage" in text  # the log did capture the traffic
    assert "/bot[REDACTED]" in text  # PTB logs its API URL, token included, at DEBUG
    assert TOKEN not in text

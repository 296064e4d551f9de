"""Storage failing while the bot runs (a full disk, a read-only volume): questions are still
answered, the failure is logged once, and /healthz and /metrics say so until it ends."""

from __future__ import annotations

import io
import sqlite3

import pytest

from bot import db
from bot.web import Site
from tests.e2e.conftest import Running, plain
from tests.helpers import updates


def full_disk(*_: object) -> sqlite3.Connection:
    raise sqlite3.OperationalError("database or disk is full")


def warnings_about(logs: io.StringIO, words: str) -> list[str]:
    return [line for line in logs.getvalue().splitlines() if " WARNING " in line and words in line]


async def test_a_full_disk_is_logged_once_answers_go_on_and_health_says_degraded(
    bot: Running, logs: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = Site(bot.state.config, port=0)
    site.attach(bot.state, bot.app)
    monkeypatch.setattr(db, "connect", full_disk)
    replies = []
    for question in ("What does Russia demand?", "Who mediates the talks?", "minsk 2015"):
        replies.append(await bot.send(updates.message(question), chat_id=1001))
    assert all(plain(reply).startswith("1.") for reply in replies)  # answered all the same
    # the question log is written after the reply is sent: wait for the first failed write
    await bot.wait_for(lambda: warnings_about(logs, "database or disk is full"))
    assert len(warnings_about(logs, "database or disk is full")) == 1
    assert "Traceback" not in logs.getvalue()
    status, body = site.health()
    assert status == 200 and body["status"] == "degraded"
    assert body["problems"] == [f"storage: {bot.state.log.path}: database or disk is full"]
    assert b"ceasefire_degraded 1.0" in bot.state.metrics.exposition()

    monkeypatch.undo()  # space was freed
    await bot.send(updates.message("What came out of the Istanbul talks?"), chat_id=1001)
    await bot.wait_for(lambda: "works again (" in logs.getvalue())  # written after the reply
    assert logs.getvalue().count("works again (") == 1
    status, body = site.health()
    assert (status, body["status"], "problems" in body) == (200, "ok", False)
    assert b"ceasefire_degraded 0.0" in bot.state.metrics.exposition()

"""Upgrading in place: a bot started on storage an older version wrote keeps every button."""

from __future__ import annotations

import io
import sqlite3
import time
from contextlib import closing

from bot import texts
from bot.config import Config
from bot.loaded import Loaded
from bot.state import BotState
from bot.stats import QuestionLog
from tests.e2e.conftest import plain, started
from tests.helpers import updates
from tests.helpers.fake_bot_api import FakeBotApi

# the answers table as the first release of durable buttons (1f84245) created it: no
# passage_ids column (added with the votes, e5ab819)
FIRST_ANSWERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    token TEXT NOT NULL UNIQUE,
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    question TEXT NOT NULL,
    passages TEXT NOT NULL,
    next_offset INTEGER,
    sent_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_message ON answers (chat_id, message_id);
CREATE INDEX IF NOT EXISTS answers_sent ON answers (sent_at);
"""
OLD_TOKEN = "00112233445566ff"


def old_answer_message() -> dict:
    """The answer message that version sent in chat 1001, with its buttons."""
    keyboard = [
        [{"text": "Source 1", "callback_data": f"s:{OLD_TOKEN}:0"}],
        [{"text": "More results ▸", "callback_data": f"m:{OLD_TOKEN}"}],
    ]
    return {
        "message_id": 77,
        "date": int(time.time()),
        "chat": {"id": 1001, "type": "private"},
        "from": {"id": 1, "is_bot": True, "first_name": "Bot", "username": "ceasefire_bot"},
        "text": "1. Russia demands ...",
        "reply_markup": {"inline_keyboard": keyboard},
    }


def write_first_release_storage(config: Config) -> None:
    config.storage.sources_dir.mkdir(parents=True)
    with closing(sqlite3.connect(config.storage.dir / "questions.sqlite3")) as con, con:
        con.executescript(FIRST_ANSWERS_SCHEMA)
        con.execute(
            "INSERT INTO answers VALUES (?, 1001, 77, 'What does Russia demand?', ?, 3, ?)",
            (OLD_TOKEN, '["aaaaaaaaaaaaaaaa"]', time.time()),
        )


async def test_answers_and_buttons_work_on_the_answers_table_of_the_first_release(
    config: Config, api: FakeBotApi, logs: io.StringIO, shipped: Loaded
) -> None:
    write_first_release_storage(config)
    state = BotState(config, shipped, QuestionLog(config.storage.dir / "questions.sqlite3"))
    async with started(config, state, api) as bot:
        first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
        more = next(
            b
            for row in first.params["reply_markup"]["inline_keyboard"]
            for b in row
            if b["text"].startswith("More")
        )
        second = await bot.send(updates.callback(more["callback_data"], first.result), 1001)
        assert plain(second).startswith("4.")  # the new answer's buttons were kept
        old = old_answer_message()
        page = await bot.send(updates.callback(f"m:{OLD_TOKEN}", old), chat_id=1001)
        assert plain(page).startswith("4.")  # the old answer's "More" is honoured
        bot.api.push(updates.callback(f"s:{OLD_TOKEN}:0", old))
        alerts = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[2:])
        assert alerts[0].params["text"] == texts.EXPIRED  # its passage key is of another kind
    assert "could not" not in logs.getvalue() and "failed" not in logs.getvalue()

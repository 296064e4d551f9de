"""Answers the bot has sent, in SQLite: what their buttons and follow-up replies refer to.

Each answer message gets a random token; its buttons carry the token, and its row keeps the
question, the passages shown and where "More" goes on. Rows live in the bot's one database
(``bot.db``), so buttons keep working after a restart and whichever process sent the answer.
The table is bounded (``storage.max_answers``) and rows expire (``storage.answer_days``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass
from pathlib import Path

from bot import db
from bot.render import passage_key
from knowledge import Answer

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    token TEXT NOT NULL UNIQUE,  -- the key in the answer's button data
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL, -- the bot's answer message
    question TEXT NOT NULL,      -- as answered (a follow-up: the combined question)
    passages TEXT NOT NULL,      -- JSON list of the passage keys shown, in rank order
    passage_ids TEXT NOT NULL,   -- JSON list of their ids ("minsk#3"), for people to read
    next_offset INTEGER,         -- where "More" goes on; NULL when there is no more
    sent_at REAL NOT NULL        -- unix time, seconds
);
CREATE INDEX IF NOT EXISTS answers_message ON answers (chat_id, message_id);
CREATE INDEX IF NOT EXISTS answers_sent ON answers (sent_at);
"""
# columns added since the table's first release (1f84245): a store it made gains them in place
ADDED = (("answers", "passage_ids", "TEXT NOT NULL DEFAULT '[]'"),)
COLUMNS = "token, chat_id, message_id, question, passages, passage_ids, next_offset, sent_at"
KEEP = 100_000  # answers kept by default (storage.max_answers)
DAYS = 30  # days an answer's buttons work by default (storage.answer_days)
TOKEN_BYTES = 8  # 16 hex digits: collisions are negligible among KEEP answers


@dataclass(frozen=True, slots=True)
class Shown:
    """One answer message the bot sent, as its buttons and follow-ups see it."""

    token: str
    chat_id: int
    message_id: int
    question: str
    passages: tuple[str, ...]  # passage keys (``render.passage_key``), in rank order
    passage_ids: tuple[str, ...] = ()  # their ids, for people reading the votes
    next_offset: int | None = None
    sent_at: float = 0.0

    @classmethod
    def of(cls, token: str, chat_id: int, message_id: int, answer: Answer) -> Shown:
        """The row for ``answer``, sent as message ``message_id`` in ``chat_id``."""
        keys = tuple(passage_key(e.passage) for e in answer.excerpts)
        ids = tuple(e.passage.id for e in answer.excerpts)
        more = answer.offset + len(answer.excerpts) if answer.has_more else None
        return cls(token, chat_id, message_id, answer.question, keys, ids, more, time.time())


def _strings(data: str) -> tuple[str, ...]:
    return tuple(json.loads(data))


def new_token() -> str:
    """A fresh random answer token (hex)."""
    return secrets.token_hex(TOKEN_BYTES)


class AnswerStore:
    """The latest ``keep`` answers of the last ``days`` days; thread-safe (a connection a call)."""

    def __init__(self, path: Path, keep: int = KEEP, days: int = DAYS) -> None:
        self.path = path
        self.keep = keep
        self.ttl_s = days * 86_400.0
        # answers this process is sending: a press or a reply arriving meanwhile waits for them
        self._pending: dict[object, list[asyncio.Future[None]]] = {}
        db.prepare(path, SCHEMA, ADDED)

    def record(self, shown: Shown) -> None:
        """Keep ``shown``; drop expired rows and those beyond ``keep``."""
        row = (
            shown.token,
            shown.chat_id,
            shown.message_id,
            shown.question,
            json.dumps(shown.passages),
            json.dumps(shown.passage_ids),
            shown.next_offset,
            shown.sent_at,
        )
        with closing(db.connect(self.path)) as con, con:
            rowid = con.execute(
                f"INSERT INTO answers ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row
            ).lastrowid
            con.execute(
                "DELETE FROM answers WHERE rowid <= ? OR sent_at < ?",
                ((rowid or 0) - self.keep, time.time() - self.ttl_s),
            )

    def get(self, token: str) -> Shown | None:
        """The answer behind a button's token, or None when unknown or expired."""
        return self._one("token = ?", (token,))

    def replied(self, chat_id: int, message_id: int) -> Shown | None:
        """The answer the bot sent as ``message_id`` in ``chat_id``, if still kept."""
        return self._one("chat_id = ? AND message_id = ?", (chat_id, message_id))

    def latest(self, chat_id: int, within_s: float) -> Shown | None:
        """The last answer the bot sent in ``chat_id``, if sent within ``within_s`` seconds."""
        return self._one("chat_id = ? AND sent_at >= ?", (chat_id, time.time() - within_s))

    def _one(self, where: str, args: tuple[object, ...]) -> Shown | None:
        with closing(db.connect(self.path)) as con:
            row = con.execute(
                f"SELECT {COLUMNS} FROM answers WHERE {where} AND sent_at >= ? "
                "ORDER BY rowid DESC LIMIT 1",
                (*args, time.time() - self.ttl_s),
            ).fetchone()
        if row is None:
            return None
        token, chat_id, message_id, question, keys, ids, more, sent_at = row
        return Shown(
            token, chat_id, message_id, question, *map(_strings, (keys, ids)), more, sent_at
        )

    @asynccontextmanager
    async def sending(self, chat_id: int, token: str) -> AsyncIterator[None]:
        """Around sending and recording an answer: its buttons, and replies in its chat, wait.

        Telegram may deliver a press or a reply before this process has written the row.
        """
        done = asyncio.get_running_loop().create_future()
        for key in (token, chat_id):
            self._pending.setdefault(key, []).append(done)
        try:
            yield
        finally:
            for key in (token, chat_id):
                waiting = self._pending.get(key, [])
                waiting.remove(done)
                if not waiting:
                    del self._pending[key]
            done.set_result(None)

    async def arecord(self, shown: Shown) -> None:
        """:meth:`record` in a worker thread; a failure is logged once (``db.failed``) and its
        buttons will say expired."""
        try:
            await asyncio.to_thread(self.record, shown)
        except sqlite3.Error as exc:
            db.failed(self.path, "keep an answer (its buttons will say expired)", exc)
        else:
            db.worked(self.path)

    async def aget(self, token: str) -> Shown | None:
        """:meth:`get` in a worker thread; a failure is logged and reads as expired."""
        return await self._safely(token, self.get, token)

    async def areplied(self, chat_id: int, message_id: int) -> Shown | None:
        """:meth:`replied` in a worker thread; a failure is logged and reads as not found."""
        return await self._safely(chat_id, self.replied, chat_id, message_id)

    async def alatest(self, chat_id: int, within_s: float) -> Shown | None:
        """:meth:`latest` in a worker thread; a failure is logged and reads as none."""
        return await self._safely(chat_id, self.latest, chat_id, within_s)

    async def _safely(self, key: object, read, *args: object) -> Shown | None:
        pending = list(self._pending.get(key, ()))
        if pending:  # being sent right now
            await asyncio.shield(asyncio.gather(*pending))
        try:
            found = await asyncio.to_thread(read, *args)
        except sqlite3.Error as exc:
            db.failed(self.path, "read the answers behind buttons", exc)
            return None
        db.worked(self.path)
        return found

"""Followers: /follow TOPIC, /unfollow, /following; new sources pushed to matching followers."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Iterable
from contextlib import closing
from dataclasses import replace
from html import escape
from pathlib import Path

import numpy as np
from telegram import Bot, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CommandHandler

import knowledge
from bot import db, render
from bot.config import Config
from bot.render import MAX_TEXT, clean, cut, visible_len
from bot.state import BotContext, BotState

__all__ = ["COMMANDS", "FollowerStore", "add_handlers", "new_excerpts", "plan", "push"]

logger = logging.getLogger(__name__)

MAX_TOPICS = 10  # per chat
MAX_TOPIC_CHARS = 100
PER_PUSH = 3  # excerpts in one follower message
COMMANDS = (
    ("follow", "Get new excerpts on a topic as sources are added (e.g. /follow Istanbul)"),
    ("unfollow", "Stop following a topic (or all: /unfollow)"),
    ("following", "The topics you follow"),
)
SCHEMA = """
CREATE TABLE IF NOT EXISTS followers (
    chat_id INTEGER NOT NULL,
    topic TEXT NOT NULL,          -- as typed, single spaces
    since REAL NOT NULL,          -- unix time, seconds
    PRIMARY KEY (chat_id, topic)
);
"""


class FollowerStore:
    """Who follows what (SQLite ``storage.dir/news.sqlite3``); short connections, any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        db.prepare(path, SCHEMA)

    @classmethod
    def of(cls, config: Config) -> FollowerStore:
        """The store under ``config.storage.dir``."""
        return cls(config.storage.dir / "news.sqlite3")

    def _connect(self) -> sqlite3.Connection:
        return db.connect(self.path)

    def follow(self, chat_id: int, topic: str) -> bool:
        """Follow ``topic``; False if the chat already follows MAX_TOPICS topics."""
        with closing(self._connect()) as con, con:
            count = con.execute("SELECT count(*) FROM followers WHERE chat_id = ?", (chat_id,))
            if count.fetchone()[0] >= MAX_TOPICS and topic not in self.topics(chat_id):
                return False
            con.execute(
                "INSERT OR IGNORE INTO followers VALUES (?, ?, ?)", (chat_id, topic, time.time())
            )
        return True

    def unfollow(self, chat_id: int, topic: str | None = None) -> int:
        """Stop following ``topic`` (every topic when None); how many were removed."""
        where, args = (
            ("AND lower(topic) = lower(?)", (chat_id, topic)) if topic else ("", (chat_id,))
        )
        with closing(self._connect()) as con, con:
            return con.execute(f"DELETE FROM followers WHERE chat_id = ? {where}", args).rowcount

    def topics(self, chat_id: int) -> list[str]:
        """The chat's topics, oldest first."""
        with closing(self._connect()) as con:
            rows = con.execute(
                "SELECT topic FROM followers WHERE chat_id = ? ORDER BY since", (chat_id,)
            )
            return [r[0] for r in rows]

    def everyone(self) -> dict[int, list[str]]:
        """Every chat with its topics."""
        with closing(self._connect()) as con:
            rows = con.execute("SELECT chat_id, topic FROM followers ORDER BY chat_id, since")
            found: dict[int, list[str]] = {}
            for chat_id, topic in rows:
                found.setdefault(chat_id, []).append(topic)
            return found


def new_excerpts(
    current: knowledge.Knowledge, topic: str, added: Iterable[str], limit: int = PER_PUSH
) -> list[knowledge.Excerpt]:
    """Excerpts on ``topic`` from the sources ``added`` only, past the usual relevance bar."""
    wanted = set(added)
    allowed = np.fromiter((p.source_id in wanted for p in current.passages), dtype=bool)
    if not allowed.any():
        return []
    query = current.query(topic)
    return current.excerpts(query, current.search(query, 3 * limit, allowed), limit)


def push_html(topics: list[str], excerpts: list[knowledge.Excerpt]) -> str:
    """One follower message: which topics, then the new cited excerpts (within Telegram's limit)."""
    named = ", ".join(f"“{escape(cut(clean(t), 60), quote=False)}”" for t in topics)
    head = f"🔔 <b>New sources</b> on {named}:\n\n"
    while True:
        answer = knowledge.Answer(", ".join(topics), True, tuple(excerpts))
        text = head + render.answer_html(answer)
        if visible_len(text) <= MAX_TEXT or len(excerpts) == 1:
            return text
        excerpts = excerpts[:-1]


def plan(
    current: knowledge.Knowledge, follows: dict[int, list[str]], added: Iterable[str]
) -> dict[int, str]:
    """The message for each chat whose topics the ``added`` sources answer (pure, CPU-bound)."""
    added, messages = tuple(added), {}
    for chat_id, topics in follows.items():
        seen: dict[str, knowledge.Excerpt] = {}
        matched = []
        for topic in topics:
            found = new_excerpts(current, topic, added)
            matched += [topic] if found else []
            seen.update({e.passage.id: e for e in found if e.passage.id not in seen})
        if seen:
            chosen = list(seen.values())[:PER_PUSH]
            messages[chat_id] = push_html(
                matched, [replace(e, rank=i + 1) for i, e in enumerate(chosen)]
            )
    return messages


async def push(bot: Bot, state: BotState, diff: knowledge.KnowledgeDiff) -> int:
    """Tell each follower whose topics the added sources match; returns messages sent.

    Messages go one by one through the bot's rate limiter; a chat that blocked the bot
    (Forbidden) is dropped from the list.
    """
    store = FollowerStore.of(state.config)
    follows = await asyncio.to_thread(store.everyone)
    messages = await asyncio.to_thread(plan, state.knowledge, follows, diff.added)
    sent = 0
    for chat_id, text in messages.items():
        try:
            await bot.send_message(chat_id, text)
            sent += 1
        except Forbidden:
            logger.info("chat %s blocked the bot: no longer following", chat_id)
            await asyncio.to_thread(store.unfollow, chat_id)
        except TelegramError as exc:
            logger.warning("could not notify follower %s: %s", chat_id, exc)
    return sent


def _topic(context: BotContext) -> str:
    return " ".join(" ".join(context.args or ()).split())[:MAX_TOPIC_CHARS]


async def on_follow(update: Update, context: BotContext) -> None:
    """/follow TOPIC: new excerpts on TOPIC will be sent to this chat."""
    message, topic = update.effective_message, _topic(context)
    if message is None:
        return
    if not topic:
        await message.reply_text("Send <code>/follow TOPIC</code>, e.g. /follow Istanbul talks.")
        return
    store = FollowerStore.of(context.state.config)
    if not await asyncio.to_thread(store.follow, message.chat_id, topic):
        await message.reply_text(f"You already follow {MAX_TOPICS} topics; /unfollow one first.")
        return
    shown = escape(topic, quote=False)
    await message.reply_text(
        f"Following “{shown}”. When new sources about it are added, I'll send you the excerpts."
    )


async def on_unfollow(update: Update, context: BotContext) -> None:
    """/unfollow TOPIC, or /unfollow alone for every topic."""
    message, topic = update.effective_message, _topic(context)
    if message is None:
        return
    store = FollowerStore.of(context.state.config)
    removed = await asyncio.to_thread(store.unfollow, message.chat_id, topic or None)
    what = f"“{escape(topic, quote=False)}”" if topic else "any topic"
    done = f"Stopped following {what}." if removed else f"You were not following {what}."
    await message.reply_text(done)


async def on_following(update: Update, context: BotContext) -> None:
    """/following: the topics this chat follows."""
    message = update.effective_message
    if message is None:
        return
    store = FollowerStore.of(context.state.config)
    topics = await asyncio.to_thread(store.topics, message.chat_id)
    listed = "\n".join(f"• {escape(t, quote=False)}" for t in topics)
    none = "You follow no topic. Try /follow Istanbul talks."
    await message.reply_text(f"<b>You follow</b>\n{listed}" if topics else none)


def add_handlers(app: Application) -> None:
    """The three commands, and the push after each reload that adds sources."""
    app.add_handler(CommandHandler("follow", on_follow))
    app.add_handler(CommandHandler("unfollow", on_unfollow))
    app.add_handler(CommandHandler("following", on_following))
    state: BotState = app.bot_data
    state.on_added.append(lambda diff: app.create_task(push(app.bot, state, diff)))

"""Followers: /follow TOPIC, /unfollow, /following; new sources pushed to matching followers."""

from __future__ import annotations

import asyncio
import datetime as dt
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
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, ChatMemberHandler, CommandHandler, MessageHandler, filters

import knowledge
from bot import db, render
from bot.config import Config
from bot.language import app_language, language_of
from bot.phrases import count, say
from bot.state import BotContext, BotState
from bot.textfit import MAX_TEXT, clean, cut, visible_len

__all__ = ["COMMANDS", "FollowerStore", "add_handlers", "new_excerpts", "plan", "push"]

logger = logging.getLogger(__name__)

MAX_TOPICS = 10  # per chat
MAX_TOPIC_CHARS = 100
PER_PUSH = 3  # excerpts in one follower message
NEWS_DAYS = 14  # a source dated earlier than this many days ago is not pushed
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
    thread_id INTEGER NOT NULL DEFAULT 0,  -- the forum topic it was followed in; 0: none
    PRIMARY KEY (chat_id, topic)
);
"""
ADDED = (("followers", "thread_id", "INTEGER NOT NULL DEFAULT 0"),)  # a store before topics
Destination = tuple[int, int]  # (chat_id, thread_id): where a follower's pushes go


class FollowerStore:
    """Who follows what (SQLite ``storage.dir/news.sqlite3``); short connections, any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        db.prepare(path, SCHEMA, ADDED)

    @classmethod
    def of(cls, config: Config) -> FollowerStore:
        """The store under ``config.storage.dir``."""
        return cls(config.storage.dir / "news.sqlite3")

    def _connect(self) -> sqlite3.Connection:
        return db.connect(self.path)

    def follow(self, chat_id: int, topic: str, thread_id: int = 0) -> bool:
        """Follow ``topic`` (in the forum topic ``thread_id``, if any); False if the chat
        already follows MAX_TOPICS topics."""
        with closing(self._connect()) as con, con:
            count = con.execute("SELECT count(*) FROM followers WHERE chat_id = ?", (chat_id,))
            if count.fetchone()[0] >= MAX_TOPICS and topic not in self.topics(chat_id):
                return False
            con.execute(
                "INSERT INTO followers (chat_id, topic, since, thread_id) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (chat_id, topic) DO UPDATE SET thread_id = excluded.thread_id",
                (chat_id, topic, time.time(), thread_id),
            )
        return True

    def move(self, old: int, new: int) -> None:
        """A group became the supergroup ``new``: its topics follow it."""
        with closing(self._connect()) as con, con:
            con.execute(
                "INSERT OR IGNORE INTO followers SELECT ?, topic, since, thread_id FROM followers "
                "WHERE chat_id = ?",
                (new, old),
            )
            con.execute("DELETE FROM followers WHERE chat_id = ?", (old,))

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
        found: dict[int, list[str]] = {}
        for (chat_id, _), topics in self.destinations().items():
            found.setdefault(chat_id, []).extend(topics)
        return found

    def destinations(self) -> dict[Destination, list[str]]:
        """Every chat and forum topic with the topics followed there."""
        with closing(self._connect()) as con:
            rows = con.execute(
                "SELECT chat_id, thread_id, topic FROM followers ORDER BY chat_id, since"
            )
            found: dict[Destination, list[str]] = {}
            for chat_id, thread_id, topic in rows:
                found.setdefault((chat_id, thread_id), []).append(topic)
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


def _news(current: knowledge.Knowledge, added: Iterable[str]) -> list[str]:
    """Those of ``added`` undated or dated within `NEWS_DAYS` of the newest source."""
    dated = {s.id: s.published for s in current.sources if s.published}
    if not dated:
        return list(added)
    newest = dt.date.fromisoformat(max(dated.values()))
    since = (newest - dt.timedelta(days=NEWS_DAYS - 1)).isoformat()
    return [a for a in added if dated.get(a, since) >= since]


def push_html(topics: list[str], excerpts: list[knowledge.Excerpt]) -> str:
    """One follower message, in its topics' language: which topics, then the new excerpts."""
    language = language_of(None, " ".join(topics))
    named = ", ".join(_quoted(cut(clean(t), 60), language) for t in topics)
    head = say("new_sources", language, topics=named) + "\n\n"
    while True:
        answer = knowledge.Answer(", ".join(topics), True, tuple(excerpts), language=language)
        text = head + render.answer_html(answer)
        if visible_len(text) <= MAX_TEXT or len(excerpts) == 1:
            return text
        excerpts = excerpts[:-1]


def plan(
    current: knowledge.Knowledge, follows: dict[Destination, list[str]], added: Iterable[str]
) -> dict[Destination, str]:
    """The message for each chat (and forum topic) whose topics the ``added`` sources answer
    (pure, CPU-bound). Only news is pushed: a source dated `NEWS_DAYS` or more before the
    newest source (a new feed's backlog, an archive page) is searchable, not pushed."""
    added, messages = tuple(_news(current, added)), {}
    for where, topics in follows.items():
        seen: dict[str, knowledge.Excerpt] = {}
        matched = []
        for topic in topics:
            found = new_excerpts(current, topic, added)
            matched += [topic] if found else []
            seen.update({e.passage.id: e for e in found if e.passage.id not in seen})
        if seen:
            chosen = list(seen.values())[:PER_PUSH]
            messages[where] = push_html(
                matched, [replace(e, rank=i + 1) for i, e in enumerate(chosen)]
            )
    return messages


async def push(bot: Bot, state: BotState, diff: knowledge.KnowledgeDiff) -> int:
    """Tell each follower whose topics the added sources match; returns messages sent.

    Messages go one by one through the bot's rate limiter, each into the forum topic it was
    followed in. A chat that blocked the bot or is gone is dropped from the list; a group
    upgraded to a supergroup keeps its topics under the new id; a closed forum topic gets the
    message in the chat's main thread.
    """
    store = FollowerStore.of(state.config)
    follows = await asyncio.to_thread(store.destinations)
    messages = await asyncio.to_thread(plan, state.knowledge, follows, diff.added)
    sent = 0
    for (chat_id, thread_id), text in messages.items():
        sent += await _deliver(bot, store, chat_id, thread_id, text)
    return sent


async def _deliver(bot: Bot, store: FollowerStore, chat_id: int, thread_id: int, text: str) -> int:
    """Send one follower message; 1 if it arrived. Chats that moved or left are updated."""
    try:
        await bot.send_message(chat_id, text, message_thread_id=thread_id or None)
        return 1
    except Forbidden:
        logger.info("chat %s blocked the bot: no longer following", chat_id)
        await asyncio.to_thread(store.unfollow, chat_id)
    except ChatMigrated as exc:
        logger.info("chat %s is now %s: its topics moved", chat_id, exc.new_chat_id)
        await asyncio.to_thread(store.move, chat_id, exc.new_chat_id)
        return await _deliver(bot, store, exc.new_chat_id, thread_id, text)
    except BadRequest as exc:
        reason = str(exc).lower()
        if "chat not found" in reason:
            logger.info("chat %s is gone: no longer following", chat_id)
            await asyncio.to_thread(store.unfollow, chat_id)
        elif thread_id and ("topic_closed" in reason or "thread not found" in reason):
            return await _deliver(bot, store, chat_id, 0, text)
        else:
            logger.warning("could not notify follower %s: %s", chat_id, exc)
    except TelegramError as exc:
        logger.warning("could not notify follower %s: %s", chat_id, exc)
    return 0


def _topic(context: BotContext) -> str:
    return " ".join(" ".join(context.args or ()).split())[:MAX_TOPIC_CHARS]


def _quoted(topic: str, language: str) -> str:
    return say("quoted", language, text=escape(topic, quote=False))


async def on_follow(update: Update, context: BotContext) -> None:
    """/follow TOPIC: new excerpts on TOPIC will be sent to this chat."""
    message, topic = update.effective_message, _topic(context)
    if message is None:
        return
    language = app_language(update.effective_user)
    if not topic:
        await message.reply_text(say("follow_usage", language))
        return
    store = FollowerStore.of(context.state.config)
    thread = message.message_thread_id if message.is_topic_message else 0
    if not await asyncio.to_thread(store.follow, message.chat_id, topic, thread or 0):
        full = count(MAX_TOPICS, "topics", language)
        await message.reply_text(say("follow_full", language, topics=full))
        return
    await message.reply_text(say("followed", language, topic=_quoted(topic, language)))


async def on_unfollow(update: Update, context: BotContext) -> None:
    """/unfollow TOPIC, or /unfollow alone for every topic."""
    message, topic = update.effective_message, _topic(context)
    if message is None:
        return
    store = FollowerStore.of(context.state.config)
    removed = await asyncio.to_thread(store.unfollow, message.chat_id, topic or None)
    language = app_language(update.effective_user)
    line = ("unfollowed" if removed else "not_following") if topic else None
    line = line or ("unfollowed_all" if removed else "not_following_any")
    await message.reply_text(say(line, language, topic=_quoted(topic, language)))


async def on_following(update: Update, context: BotContext) -> None:
    """/following: the topics this chat follows."""
    message = update.effective_message
    if message is None:
        return
    store = FollowerStore.of(context.state.config)
    topics = await asyncio.to_thread(store.topics, message.chat_id)
    listed = "\n".join(f"• {escape(t, quote=False)}" for t in topics)
    language = app_language(update.effective_user)
    head = say("following_head", language)
    await message.reply_text(f"{head}\n{listed}" if topics else say("following_none", language))


async def on_migrated(update: Update, context: BotContext) -> None:
    """A group upgraded to a supergroup: its topics follow it to the new chat id."""
    message = update.effective_message
    if message is None or not message.migrate_to_chat_id:
        return
    store = FollowerStore.of(context.state.config)
    await asyncio.to_thread(store.move, message.chat_id, message.migrate_to_chat_id)


async def on_removed(update: Update, context: BotContext) -> None:
    """The bot left a chat, or was removed or banned from it: its topics are dropped."""
    member = update.my_chat_member
    if member is None or member.new_chat_member.status not in _GONE:
        return
    store = FollowerStore.of(context.state.config)
    if await asyncio.to_thread(store.unfollow, member.chat.id):
        logger.info("removed from chat %s: no longer following", member.chat.id)


_GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


def add_handlers(app: Application) -> None:
    """The three commands (in channels too: a channel's posts are its admins'), the push after
    each reload that adds sources, and the chat changes that move or end a chat's follows."""
    posted = filters.UpdateType.MESSAGES | filters.UpdateType.CHANNEL_POST
    app.add_handler(CommandHandler("follow", on_follow, posted))
    app.add_handler(CommandHandler("unfollow", on_unfollow, posted))
    app.add_handler(CommandHandler("following", on_following, posted))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrated))
    app.add_handler(ChatMemberHandler(on_removed, ChatMemberHandler.MY_CHAT_MEMBER))
    state: BotState = app.bot_data
    state.on_added.append(lambda diff: app.create_task(push(app.bot, state, diff)))

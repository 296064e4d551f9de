"""Feeds on the JobQueue: poll what is due, one reload and one admin digest per batch; /feeds."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CommandHandler

import knowledge
from bot import adding, feeds
from bot.access import admin_message
from bot.digest import digest_html
from bot.feedconfig import duration_text
from bot.feedkeywords import default_keywords
from bot.feedstore import FeedState, FeedStore
from bot.state import BotContext, BotState
from bot.textfit import fit_lines, line_html

__all__ = ["FEEDS_JOB", "add_handlers", "poll_now"]

logger = logging.getLogger(__name__)

FEEDS_JOB = "feeds"
FIRST_POLL_S = 10  # after start-up; then every min(knowledge.feeds[].every)


class Poller:
    """The job's state: the feed store, and a lock so that two polls never overlap."""

    def __init__(self, store: FeedStore) -> None:
        self.store = store
        self.lock = asyncio.Lock()


async def poll_now(state: BotState, poller: Poller) -> feeds.Batch | None:
    """Poll the due feeds once, saving through ``state`` (one reload); None if one is running."""
    if poller.lock.locked():
        return None
    async with poller.lock:

        async def save(files: list[tuple[str, bytes]]) -> Sequence[knowledge.Problem]:
            return (await state.add_sources(files)).problems

        current = state.knowledge
        keywords = default_keywords(current.taxonomy)
        batch = await feeds.poll(state.config, poller.store, save, current.sources, keywords)
    fetches = sum(1 for o in batch.outcomes if o.status == adding.FAILED)
    state.metrics.fetch_errors.inc(fetches)
    state.metrics.feed_errors.inc(len(batch.failed) - fetches)  # the rest are whole feeds
    return batch


async def send_digest(bot: Bot, admins: Sequence[int], batch: feeds.Batch) -> None:
    """One digest message to each admin; an admin the bot cannot reach is only logged."""
    text = digest_html(batch)
    for admin in admins:
        try:
            await bot.send_message(admin, text)
        except (Forbidden, BadRequest) as exc:
            logger.warning("no feed digest for admin %s: %s", admin, exc)


async def on_feeds_job(context: BotContext) -> None:
    """The repeating job: poll what is due; tell the admins if anything was added or failed."""
    poller: Poller = context.job.data
    batch = await poll_now(context.state, poller)
    if batch is not None and batch.news:
        await send_digest(context.bot, context.state.config.telegram.admin_ids, batch)


def _when(stamp: float | None) -> str:
    if not stamp:
        return "never"
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _feed_html(url: str, every_s: int, state: FeedState) -> str:
    lines = [f"• {line_html(url)} (every {duration_text(every_s)})"]
    lines.append(f"  last poll: {_when(state.last_poll)}; items added: {state.added}")
    if state.last_error:
        retry = _when(state.next_due)
        lines.append(f"  last error: {line_html(state.last_error)} (next try {retry})")
    return "\n".join(lines)


async def on_feeds(update: Update, context: BotContext) -> None:
    """/feeds: each watched feed with its last poll, items added and last error (admins)."""
    message = await admin_message(update, context)
    if message is None:
        return
    watched = context.state.config.knowledge.feeds
    if not watched:
        await message.reply_text("No feeds are configured (knowledge.feeds in the config file).")
        return
    store = feeds.open_store(context.state.config)
    states = await asyncio.to_thread(lambda: [store.state(f.url) for f in watched])
    blocks = [_feed_html(f.url, f.every_s, s) for f, s in zip(watched, states, strict=True)]
    await message.reply_text(fit_lines([f"<b>Feeds</b> ({len(watched)})", *blocks]))


def add_handlers(app: Application) -> None:
    """/feeds, and the repeating poll when feeds are configured (and a JobQueue exists)."""
    app.add_handler(CommandHandler("feeds", on_feeds))
    state: BotState = app.bot_data
    watched = state.config.knowledge.feeds
    if not watched or app.job_queue is None:
        return
    tick = min(f.every_s for f in watched)
    poller = Poller(feeds.open_store(state.config))
    app.job_queue.run_repeating(
        on_feeds_job, interval=tick, first=FIRST_POLL_S, name=FEEDS_JOB, data=poller
    )

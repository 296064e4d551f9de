"""Admin handlers: /reload, source uploads, /stats. Everyone else is politely refused."""

from __future__ import annotations

import asyncio
import codecs
from contextlib import suppress

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest

from bot import texts
from bot.access import admin_message
from bot.delivery import best_effort
from bot.state import BotContext, ReloadResult
from bot.uploads import (
    ALLOWED_SUFFIXES,
    duplicate_of,
    for_chat,
    read_upload,
    safe_name,
    sent_name,
    titled,
)


def _report(result: ReloadResult, what: str) -> str:
    if result.diff is None:
        return texts.problems_html(result.problems, what)
    return texts.reload_html(result.diff, result.took_ms)


def _upload_report(result: ReloadResult, context: BotContext, name: str, shown: str) -> str:
    """The reply to an upload: the reload's diff, or its problems naming no server path."""
    if result.diff is not None:
        return _report(result, "")
    storage = context.state.config.storage
    folders = (*context.state.config.source_dirs(), storage.sources_dir)
    problems = for_chat(result.problems, folders, storage.sources_dir / name, shown)
    return texts.problems_html(problems, f"Not added: {shown} has problems")


async def on_reload(update: Update, context: BotContext) -> None:
    """/reload: rebuild the index from every folder; report the diff or the bad files."""
    message = await admin_message(update, context)
    if message is None:
        return
    await best_effort(message.reply_chat_action(ChatAction.TYPING))
    result = await context.state.reload()
    await message.reply_text(_report(result, "Reload refused"))


async def on_document(update: Update, context: BotContext) -> None:
    """A .md/.txt document from an admin: check it, save it under storage.dir, reload."""
    message = await admin_message(update, context)
    if message is None or message.document is None:
        return
    document, limit = message.document, context.state.config.storage.max_upload_bytes
    name = safe_name(document.file_name)
    shown = sent_name(document.file_name, name or "")  # never a server path
    if name is None:
        await message.reply_text(f"Send a source as a {' or '.join(ALLOWED_SUFFIXES)} file.")
        return
    too_large = f"That file is too large: the limit is {limit:,} bytes."
    if (document.file_size or 0) > limit:
        await message.reply_text(too_large)
        return
    try:
        file = await document.get_file()
    except BadRequest as exc:
        if "too big" not in str(exc).lower():
            raise
        await message.reply_text(texts.TOO_BIG_FOR_BOTS)
        return
    data = bytes(await file.download_as_bytearray())
    if len(data) > limit:  # file_size is the sender's claim; check what arrived
        await message.reply_text(too_large)
        return
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        with suppress(UnicodeDecodeError):  # else the check says what it is
            data = data.decode("utf-16").encode("utf-8")
    upload = await asyncio.to_thread(read_upload, name, data)
    if upload is not None:  # else the check below says why it does not read
        twin = duplicate_of(upload, name, context.knowledge.sources)
        if twin is not None:
            await message.reply_text(texts.same_text_html(shown, twin.title))
            return
    data = titled(upload, document.file_name or name, name, data) if upload else data
    result = await context.state.add_source(name, data)
    await message.reply_text(_upload_report(result, context, name, shown))


async def on_stats(update: Update, context: BotContext) -> None:
    """/stats: sources, passages, questions, no-answer rate, latency, votes, worst answers;
    in a private chat only, since it quotes the questions people asked."""
    message = await admin_message(update, context)
    if message is None:
        return
    if message.chat.type != ChatType.PRIVATE:  # it quotes what people asked in private
        await message.reply_text(texts.STATS_IN_PRIVATE)
        return
    summary = await context.state.log.asummary()
    votes = await context.state.votes.asummary()
    current = context.knowledge
    sources, passages = len(current.sources), len(current.passages)
    await message.reply_text(texts.stats_html(summary, sources, passages, votes))

"""Admin handlers: /reload, source uploads, /stats. Everyone else is politely refused (a
document's caption is still a question)."""

from __future__ import annotations

import asyncio
import codecs
from contextlib import suppress

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest

from bot import chat, texts
from bot.access import admin_message
from bot.delivery import best_effort
from bot.state import BotContext, BotState, ReloadResult
from bot.uploads import (
    ALLOWED_SUFFIXES,
    duplicate_of,
    for_chat,
    read_upload,
    safe_name,
    sent_name,
    titled,
)


def reload_report(
    result: ReloadResult, state: BotState, what: str, sent: tuple[str, str] | None = None
) -> str:
    """A reload's reply: its diff, or its problems (headed ``what``) naming no server path.
    ``sent`` is an upload's saved name and the name it was sent under."""
    if result.diff is not None:
        return texts.reload_html(result.diff, result.took_ms)
    storage = state.config.storage
    folders = (*state.config.source_dirs(), storage.sources_dir)
    renamed = ((storage.sources_dir / sent[0], sent[1]),) if sent else ()
    return texts.problems_html(for_chat(result.problems, folders, renamed), what)


async def on_reload(update: Update, context: BotContext) -> None:
    """/reload: rebuild the index from every folder; report the diff or the bad files."""
    message = await admin_message(update, context)
    if message is None:
        return
    await best_effort(message.reply_chat_action(ChatAction.TYPING))
    result = await context.state.reload()
    await message.reply_text(reload_report(result, context.state, "Reload refused"))


UPLOAD_IN_PRIVATE = (
    "To add a source, send me the .md or .txt file in a private chat: uploads are not taken "
    "from groups, where files are shared for others to read."
)


async def on_document(update: Update, context: BotContext) -> None:
    """A document: an admin's in a private chat is a source to add; an admin's source file in
    a group gets a pointer to the private chat; anyone else's caption is a question."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    user = update.effective_user
    admin = context.state.is_admin(user.id if user else None)
    private = message.chat.type == ChatType.PRIVATE
    if admin and private:
        await _add_upload(message, context)
    elif admin and safe_name(message.document.file_name) is not None:
        await message.reply_text(UPLOAD_IN_PRIVATE)
    elif message.caption:  # as for a photo: the words are asked, the file is not read
        await (chat.on_private_text if private else chat.on_group_text)(update, context)
    elif private:
        await admin_message(update, context)  # the polite refusal


async def _download(message: Message, limit: int) -> bytes | None:
    """The document's bytes (UTF-16 made UTF-8), or None after saying why it cannot be had."""
    document = message.document
    if document is None:
        return None
    too_large = f"That file is too large: the limit is {limit:,} bytes."
    if (document.file_size or 0) > limit:
        await message.reply_text(too_large)
        return None
    try:
        file = await document.get_file()
    except BadRequest as exc:
        if "too big" not in str(exc).lower():
            raise
        await message.reply_text(texts.TOO_BIG_FOR_BOTS)
        return None
    data = bytes(await file.download_as_bytearray())
    if len(data) > limit:  # file_size is the sender's claim; check what arrived
        await message.reply_text(too_large)
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        with suppress(UnicodeDecodeError):  # else the check says what it is
            data = data.decode("utf-16").encode("utf-8")
    return data


async def _add_upload(message: Message, context: BotContext) -> None:
    """A .md/.txt document from an admin: check it, save it under storage.dir, reload."""
    original = message.document.file_name if message.document else None
    name = safe_name(original)
    shown = sent_name(original, name or "")  # never a server path
    if name is None:
        await message.reply_text(f"Send a source as a {' or '.join(ALLOWED_SUFFIXES)} file.")
        return
    data = await _download(message, context.state.config.storage.max_upload_bytes)
    if data is None:
        return
    upload = await asyncio.to_thread(read_upload, name, data)
    if upload is not None:  # else the check below says why it does not read
        twin = duplicate_of(upload, name, context.knowledge.sources)
        if twin is not None:
            await message.reply_text(texts.same_text_html(shown, twin.title))
            return
    data = titled(upload, original or name, name, data) if upload else data
    result = await context.state.add_source(name, data)
    await message.reply_text(
        reload_report(result, context.state, f"Not added: {shown} has problems", (name, shown))
    )


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

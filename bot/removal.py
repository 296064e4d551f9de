"""Admin handlers that take out a source added through the bot: /remove and its buttons."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

import knowledge
from bot import texts
from bot.access import admin_message
from bot.admin import reload_report
from bot.delivery import quietly
from bot.render import MAX_FIELD
from bot.state import BotContext, BotState
from bot.textfit import clean, cut, short_html

__all__ = ["ADMIN_COMMANDS", "add_handlers", "matching", "removable"]

BUTTON = "rm:"  # callback data: BUTTON + `_key` of the source's file name
MAX_CHOICES = 8  # buttons offered for one /remove
ADMIN_COMMANDS = (("remove", "Remove a source added by upload, /add or a feed"),)
USAGE = (
    "Send <code>/remove WORDS</code>: words of the title, the file name or the URL of a source "
    "added by upload, /add or a feed. Sources in the configured knowledge folders are files "
    "on the server: delete the file there and send /reload."
)


def _key(path: Path) -> str:
    return hashlib.sha256(path.name.encode()).hexdigest()[:16]


def removable(sources: Sequence[knowledge.Source], folder: Path) -> list[knowledge.Source]:
    """The ``sources`` saved in ``folder`` (``storage.dir/sources``: uploads, /add and feed
    articles), the newest saved first (blocking: it reads the file times)."""
    folder, inside = folder.resolve(), {}  # each parent folder of the sources resolved once
    for parent in {os.path.dirname(s.path) for s in sources if s.path}:
        inside[parent] = Path(parent).resolve() == folder
    found = [s for s in sources if s.path and inside[os.path.dirname(s.path)]]
    saved = {s.path: _saved_at(s.path) for s in found}
    return sorted(found, key=lambda s: -saved[s.path])


def _saved_at(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:  # deleted meanwhile: the press will say it is gone
        return 0.0


def matching(sources: list[knowledge.Source], words: list[str]) -> list[knowledge.Source]:
    """The ``sources`` whose title, file name or URL holds every one of ``words``."""
    wanted = [w.casefold() for w in words]

    def named(source: knowledge.Source) -> bool:
        said = f"{source.title} {Path(source.path).name} {source.url or ''}".casefold()
        return all(w in said for w in wanted)

    return [s for s in sources if named(s)]


def _label(source: knowledge.Source) -> str:
    return "🗑 " + cut(clean(source.title), 48)


async def on_remove(update: Update, context: BotContext) -> None:
    """/remove WORDS: a button per matching added source; alone, the newest added ones."""
    message = await admin_message(update, context)
    if message is None:
        return
    state, words = context.state, list(context.args or ())
    added = await _removable(state)
    found = matching(added, words) if words else added
    if not found:
        others = matching(list(state.knowledge.sources), words) if words else []
        where = " It is in a configured knowledge folder: delete the file there." if others else ""
        await message.reply_text(f"No added source matches that.{where}" if words else USAGE)
        return
    rows = [
        [InlineKeyboardButton(_label(s), callback_data=BUTTON + _key(Path(s.path)))]
        for s in found[:MAX_CHOICES]
    ]
    more = len(found) - MAX_CHOICES
    narrow = "add words to narrow it" if words else "send /remove WORDS to find others"
    note = f" ({more} more: {narrow})" if more > 0 else ""
    head = (
        "Press to remove the source" if words else "The newest added sources; press to remove one"
    )
    await message.reply_text(f"{head}{note}:", reply_markup=InlineKeyboardMarkup(rows))


async def on_remove_button(update: Update, context: BotContext) -> None:
    """A /remove button: delete that source's file and reload (admins only)."""
    query = update.callback_query
    if query is None:
        return
    message = query.message if isinstance(query.message, Message) else None
    if not context.state.is_admin(query.from_user.id) or message is None:
        await quietly(query.answer(texts.REFUSED, show_alert=True))
        return
    key = (query.data or "").removeprefix(BUTTON)
    state = context.state
    source = next((s for s in await _removable(state) if _key(Path(s.path)) == key), None)
    if source is None:
        await quietly(query.answer("That source is no longer there.", show_alert=True))
        return
    await quietly(query.answer("Removing…"))
    result = await state.remove_source(Path(source.path))
    title = short_html(source.title, MAX_FIELD)
    report = reload_report(result, state, f"Not removed: “{title}”")
    if result.diff is not None:
        report = f"Removed “{title}”.\n{report}"
    await quietly(message.edit_text(report))


async def _removable(state: BotState) -> list[knowledge.Source]:
    return await asyncio.to_thread(
        removable, state.knowledge.sources, state.config.storage.sources_dir
    )


def add_handlers(app: Application) -> None:
    """Register /remove and its buttons."""
    app.add_handler(CommandHandler("remove", on_remove))
    app.add_handler(CallbackQueryHandler(on_remove_button, pattern=f"^{BUTTON}"))

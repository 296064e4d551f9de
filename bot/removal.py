"""Admin handlers that take out a source added through the bot: /remove and its buttons."""

from __future__ import annotations

import hashlib
from html import escape
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

import knowledge
from bot import texts
from bot.access import admin_message
from bot.admin import reload_report
from bot.delivery import quietly
from bot.render import clean, cut
from bot.state import BotContext, BotState

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


def removable(state: BotState) -> list[knowledge.Source]:
    """The sources saved under ``storage.dir/sources``: uploads, /add and feed articles."""
    folder = state.config.storage.sources_dir.resolve()
    return [
        s for s in state.knowledge.sources if s.path and Path(s.path).resolve().parent == folder
    ]


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
    """/remove WORDS: offer a button per matching added source; a press removes it."""
    message = await admin_message(update, context)
    if message is None:
        return
    if not context.args:
        await message.reply_text(USAGE)
        return
    state = context.state
    found = matching(removable(state), list(context.args))
    if not found:
        others = matching(list(state.knowledge.sources), list(context.args))
        where = (
            " It is in a configured knowledge folder: delete the file on the server."
            if others
            else ""
        )
        await message.reply_text(f"No added source matches that.{where}")
        return
    rows = [
        [InlineKeyboardButton(_label(s), callback_data=BUTTON + _key(Path(s.path)))]
        for s in found[:MAX_CHOICES]
    ]
    more = len(found) - MAX_CHOICES
    note = f" ({more} more match: add words to narrow it)" if more > 0 else ""
    await message.reply_text(
        f"Press to remove the source from the bot's knowledge{note}:",
        reply_markup=InlineKeyboardMarkup(rows),
    )


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
    source = next((s for s in removable(state) if _key(Path(s.path)) == key), None)
    if source is None:
        await quietly(query.answer("That source is no longer there.", show_alert=True))
        return
    await quietly(query.answer("Removing…"))
    result = await state.remove_source(Path(source.path))
    title = escape(cut(clean(source.title), 200), quote=False)
    report = reload_report(result, state, f"Not removed: “{title}”")
    if result.diff is not None:
        report = f"Removed “{title}”.\n{report}"
    await quietly(message.edit_text(report))


def add_handlers(app: Application) -> None:
    """Register /remove and its buttons."""
    app.add_handler(CommandHandler("remove", on_remove))
    app.add_handler(CallbackQueryHandler(on_remove_button, pattern=f"^{BUTTON}"))

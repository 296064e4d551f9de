"""Admin handlers that bring in news: /add URL…, the "Add as source" button, /feeds."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import adding, chat, feedjob, followers, texts
from bot.access import admin_message
from bot.delivery import best_effort, quietly
from bot.state import BotContext, BotState, ReloadResult
from bot.textfit import line_html

__all__ = ["ADMIN_COMMANDS", "COMMANDS", "add_handlers", "add_urls"]

logger = logging.getLogger(__name__)

ADD_BUTTON = "add-url"  # callback data of "Add as source"; the URL is the message it answers
MAX_URLS = 10  # per /add
ADMIN_COMMANDS = (
    ("add", "Add articles by URL: /add https://…"),
    ("feeds", "The news feeds watched: last poll, items added, errors"),
)
COMMANDS = followers.COMMANDS  # everyone's commands from issue 10
USAGE = "Send <code>/add URL</code> (up to 10 URLs, separated by spaces)."


async def add_urls(
    state: BotState, items: Sequence[str | tuple[str, str | None]]
) -> tuple[list[adding.Outcome], ReloadResult | None]:
    """Fetch each URL, save the new articles and reload once; the reload is None if none new."""
    known = state.knowledge.sources
    outcomes = await adding.prepare_all(items, adding.policy_of(state.config), known)
    state.metrics.fetch_errors.inc(sum(1 for o in outcomes if o.status == adding.FAILED))
    files = [(o.name, o.data) for o in outcomes if o.status == adding.ADDED]
    result = await state.add_sources(files) if files else None
    if result is not None and result.problems:
        logger.warning("added articles refused: %d problem(s)", len(result.problems))
    return outcomes, result


def outcomes_html(outcomes: Sequence[adding.Outcome], result: ReloadResult | None) -> str:
    """One line per URL, then the reload's report."""
    lines = []
    for outcome in outcomes:
        mark = {adding.ADDED: "✅", adding.KNOWN: "☑️", adding.FAILED: "❌"}[outcome.status]
        lines.append(f"{mark} {line_html(outcome.line())}")
    if result is not None and result.diff is None:
        return "\n".join(lines) + "\n\n" + texts.problems_html(result.problems, "Not added")
    if result is not None and result.diff is not None:
        lines += ["", texts.reload_html(result.diff, result.took_ms)]
    return "\n".join(lines)


async def on_add(update: Update, context: BotContext) -> None:
    """/add URL [URL…]: fetch, extract and add each article (admins only)."""
    message = await admin_message(update, context)
    if message is None:
        return
    urls = list(dict.fromkeys(context.args or ()))
    if not urls or len(urls) > MAX_URLS:
        await message.reply_text(USAGE)
        return
    await best_effort(message.reply_chat_action(ChatAction.TYPING))
    outcomes, result = await add_urls(context.state, urls)
    await message.reply_text(outcomes_html(outcomes, result))


async def on_url(update: Update, context: BotContext) -> None:
    """A URL alone in a private chat: admins get an "Add as source" button; others an answer."""
    message = update.effective_message
    user = update.effective_user
    if message is None or not context.state.is_admin(user.id if user else None):
        await chat.on_private_text(update, context)
        return
    button = InlineKeyboardButton("Add as source", callback_data=ADD_BUTTON)
    await message.reply_text(
        "Add this page as a source?", reply_markup=InlineKeyboardMarkup([[button]])
    )


def _button_url(message: Message | None) -> str | None:
    original = message.reply_to_message if message else None
    text = (original.text or "").strip() if original else ""
    return text if adding.is_url(text) else None


async def on_add_button(update: Update, context: BotContext) -> None:
    """The "Add as source" button: add the URL of the message it answers (admins only)."""
    query = update.callback_query
    if query is None:
        return
    message = query.message if isinstance(query.message, Message) else None
    url = _button_url(message)
    if not context.state.is_admin(query.from_user.id) or url is None or message is None:
        await quietly(query.answer(texts.REFUSED if url else texts.EXPIRED, show_alert=True))
        return
    await quietly(query.answer("Fetching…"))
    outcomes, result = await add_urls(context.state, [url])
    await quietly(message.edit_text(outcomes_html(outcomes, result)))


def add_handlers(app: Application) -> None:
    """Register /add, the URL button and /feeds (before the catch-all text handlers)."""
    private = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    lone_url = filters.Regex(r"^\s*https?://\S+\s*$")
    app.add_handler(CommandHandler("add", on_add))
    app.add_handler(MessageHandler(private & filters.TEXT & lone_url, on_url))
    app.add_handler(CallbackQueryHandler(on_add_button, pattern=f"^{ADD_BUTTON}$"))
    feedjob.add_handlers(app)
    followers.add_handlers(app)

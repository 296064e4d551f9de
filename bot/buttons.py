"""Button presses: "More", "Source", 👍 / 👎 and a reason, /start examples and /sources pages.

Answer buttons carry the token of a row in ``bot.answers`` (SQLite), so they work after a
restart and whichever bot process sent the answer; an unknown or expired token gets a polite
alert. Data that is not on the pressed message's own buttons is forged and refused.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot import keyboards, render, texts
from bot.answers import Shown
from bot.chat import answer_question, send_answer
from bot.delivery import quietly, reply
from bot.language import app_language
from bot.phrases import say
from bot.state import BotContext
from knowledge import Passage

logger = logging.getLogger(__name__)

MORE_PAGE = 3  # excerpts a "More" press adds at least (as many as the page it continues)


async def on_button(update: Update, context: BotContext) -> None:
    """A button press: validate its data, answer the query first (a Source once posted), then
    do the work; its alerts and new buttons speak the presser's app language."""
    query = update.callback_query
    if query is None:
        return
    message = query.message if isinstance(query.message, Message) else None
    ours = message is not None and offered(message, query.data)  # else forged
    language = app_language(query.from_user)  # alerts speak the presser's language
    pressed = context.pressed  # decoded once for this update (BotContext.from_update)
    if message is not None and await _served_more(message, context, pressed, ours):
        # a second tap before the button went
        await quietly(query.answer(say("more_shown", language)))
        return
    source_key = _source_key(message, pressed) if ours else ""
    if source_key in context.state.served:  # another member's press posted it above
        await quietly(query.answer(say("source_shown", language)))
        return
    data = pressed if message is None or ours else None
    target = await _target(data, message, context, query.from_user.id)
    if data is None or target is None or message is None:
        # a button of ours it no longer knows (an older bot version's) has expired too
        text = say("expired" if data or ours else "unknown_button", language)
        await quietly(query.answer(text, show_alert=True))
        return
    thanks = None
    if isinstance(target, Vote):  # a quick write: "thanks" once it is recorded
        kept, before = await context.state.votes.avote(
            target.shown, target.user_id, target.value, target.reason
        )
        thanks = say("voted" if kept else "failed", language)
        if kept and before != target.value:  # a new or changed vote: as /stats counts it
            context.state.metrics.votes.labels("up" if target.value > 0 else "down").inc()
    if data.kind == "source":  # answered once posted: a refused post says so, not "done"
        await _press_source(query, message, context, target, source_key, language)
        return
    await quietly(query.answer(thanks))
    await BUTTONS[data.kind](message, context, target, language)


async def _served_more(
    message: Message, context: BotContext, decoded: keyboards.Callback | None, offered: bool
) -> bool:
    """True for a "More" (``decoded``) whose next results are already out: served before, or
    gone from this very answer's keyboard (a tap made before the client saw it go)."""
    if decoded is None or decoded.kind != "more":
        return False
    if decoded.key in context.state.served:
        return True
    if offered:
        return False
    shown = await context.state.answers.aget(decoded.key)
    return shown is not None and (shown.chat_id, shown.message_id) == (
        message.chat_id,
        message.message_id,
    )


def offered(message: Message, data: str | None) -> bool:
    """True when ``data`` is on one of ``message``'s own buttons; any other data is forged."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    return any(button.callback_data == data for row in rows for button in row)


@dataclass(frozen=True, slots=True)
class Vote:
    """A 👍 (1) or 👎 (-1) by ``user_id`` on an answer, with a reason when one was picked."""

    shown: Shown
    user_id: int
    value: int
    reason: str | None = None


async def _target(
    data: keyboards.Callback | None, message: Message | None, context: BotContext, user_id: int
) -> object | None:
    """What a button points at (an answer, passage, vote, example or page), or None if stale."""
    if data is None or message is None:
        return None
    if data.kind == "example":
        return texts.ASKABLE[data.number] if data.number < len(texts.ASKABLE) else None
    if data.kind == "list":
        return data
    shown = await context.state.answers.aget(data.key)
    if shown is None or (shown.chat_id, shown.message_id) != (message.chat_id, message.message_id):
        return None
    if data.kind == "source":
        keys = shown.passages
        return context.state.loaded.passage(keys[data.number]) if data.number < len(keys) else None
    if data.kind == "vote":
        return Vote(shown, user_id, 1 if data.choice == "+" else -1)
    if data.kind == "reason":
        return Vote(shown, user_id, -1, data.choice)
    return shown if shown.next_offset is not None else None


async def _more(message: Message, context: BotContext, shown: Shown, _: str) -> None:
    """The next results of an answer's question, as a new answer, once: the pressed button
    goes (the new answer has its own), and any later press of it, even while this one is
    being served, does nothing."""
    if shown.token in context.state.served:
        return
    context.state.serve(shown.token)
    if message.reply_markup:
        markup = keyboards.without_more(message.reply_markup, shown.token)
        await quietly(message.edit_reply_markup(markup))
    ask, page = context.knowledge.ask, max(MORE_PAGE, len(shown.passages))  # as the first
    answer = await asyncio.to_thread(ask, shown.question, page, shown.next_offset)
    await send_answer(message.reply_to_message or message, context, answer)


def _source_key(message: Message | None, decoded: keyboards.Callback | None) -> str:
    """The key in ``state.served`` of a Source button (``decoded``) under an answer in a group,
    else "": in a group the passage is posted once, however many members press it."""
    if message is None or message.chat.type == ChatType.PRIVATE or decoded is None:
        return ""
    return f"{decoded.key}:{decoded.number}" if decoded.kind == "source" else ""


async def _press_source(
    query: CallbackQuery,
    message: Message,
    context: BotContext,
    passage: Passage,
    key: str,
    language: str,
) -> None:
    """Post the passage, then answer the press. A post Telegram refused (a closed topic, no
    right to write, the network down after retries) is not counted as served: the presser is
    told, and a later press tries again."""
    if key:
        context.state.serve(key)  # while posting: a press meanwhile does not post it twice
    try:
        await _source(message, context, passage, language)
    except (BadRequest, Forbidden, NetworkError, RetryAfter) as exc:
        context.state.unserve(key)
        logger.warning("chat %s: source not posted: %s", message.chat_id, exc)
        await quietly(query.answer(say("source_failed", language), show_alert=True))
        return
    await quietly(query.answer())


async def _source(message: Message, context: BotContext, passage: Passage, _: str) -> None:
    """The passage in full with its citation (in a group once: see ``_source_key``)."""
    source = context.knowledge.source(passage.source_id)
    if source is not None:
        await reply(message, render.passage_html(passage, source))


async def _example(message: Message, context: BotContext, question: str, _: str) -> None:
    """An example question from /start, answered."""
    await answer_question(message, context, question, "button", echo=True)


async def _list(
    message: Message, context: BotContext, data: keyboards.Callback, language: str
) -> None:
    """Another page of /sources, in place, in the presser's ``language``."""
    listed = await asyncio.to_thread(context.state.listed_sources)
    text, keyboard = texts.sources_page(listed, data.number, language)
    await quietly(message.edit_text(text, reply_markup=keyboard))


async def _ask_why(message: Message, context: BotContext, vote: Vote, language: str) -> None:
    """After a 👎 on an answer with excerpts, ask why with a row of reasons (once), in the
    presser's ``language``."""
    if vote.value > 0 or vote.reason or not vote.shown.passages or not message.reply_markup:
        return
    markup = keyboards.with_reasons(message.reply_markup, vote.shown.token, language)
    if markup is not None:
        await quietly(message.edit_reply_markup(markup))


BUTTONS = {
    "more": _more,
    "source": _source,
    "vote": _ask_why,
    "reason": _ask_why,
    "example": _example,
    "list": _list,
}

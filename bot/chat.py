"""Chat handlers: questions in private chats and groups, commands, and the answer buttons."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from typing import TypeVar

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType

from bot import render, texts
from bot.delivery import best_effort, quietly
from bot.state import BotContext
from knowledge import Answer, Passage

logger = logging.getLogger(__name__)

_COMMAND = re.compile(r"^/\w+(@\w+)?(\s+|$)")
# "typing…" only for an answer not ready by then: answers take milliseconds, and a chat action
# before each would spend half of AIORateLimiter's 30 requests/s on an indicator nobody sees
TYPING_AFTER_S = 0.5

T = TypeVar("T")


def question_of(message: Message, username: str) -> str:
    """The question in ``message``: its text without a leading command or @mention of the bot."""
    text = _COMMAND.sub("", message.text or "", count=1)
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


def addresses_bot(message: Message, username: str, bot_id: int) -> bool:
    """True for a group message that mentions the bot or replies to it."""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return True
    mentions = message.parse_entities([MessageEntityType.MENTION]).values()
    return any(m.lower() == f"@{username.lower()}" for m in mentions)


async def _send_answer(message: Message, answer: Answer) -> None:
    """Reply to ``message`` with ``answer`` and its buttons."""
    await message.reply_text(
        render.answer_html(answer), reply_markup=render.answer_keyboard(answer)
    )


async def with_typing(message: Message, work: Awaitable[T]) -> T:
    """Await ``work``; if it takes over ``TYPING_AFTER_S``, show "typing…" in the chat meanwhile."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER_S)
    if not done:
        await best_effort(message.reply_chat_action(ChatAction.TYPING))
    return await task


async def answer_question(
    message: Message, context: BotContext, question: str, via: str, top: int = 3
) -> None:
    """Answer ``question`` under ``message`` with ``top`` cited excerpts and buttons, or a no."""
    if not question:
        await message.reply_text(texts.help_html(context.bot.username))
        return
    answer = await with_typing(message, asyncio.to_thread(context.knowledge.ask, question, top))
    context.state.remember(question)
    await _send_answer(message, answer)
    await context.state.log.arecord(question, answer.answered, answer.took_ms, via)


async def on_private_text(update: Update, context: BotContext) -> None:
    """Any text in a private chat is a question, and so is the caption of a photo or video."""
    message = update.effective_message
    question = message and (message.text or message.caption)
    if not question:
        return
    await answer_question(message, context, question.strip(), "private")


async def on_private_other(update: Update, context: BotContext) -> None:
    """An unknown command, or a photo, sticker or voice note without words: one line of help."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(texts.UNKNOWN_COMMAND if message.text else texts.WORDS_ONLY)


async def on_group_text(update: Update, context: BotContext) -> None:
    """In a group, answer only a mention of the bot or a reply to it; ignore other chatter."""
    message = update.effective_message
    if message is None or not addresses_bot(message, context.bot.username, context.bot.id):
        return
    await answer_question(message, context, question_of(message, context.bot.username), "group")


async def on_ask(update: Update, context: BotContext) -> None:
    """/ask QUESTION, in any chat."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or ())
    via = "private" if message.chat.type == ChatType.PRIVATE else "group"
    await answer_question(message, context, question, via)


async def on_start(update: Update, context: BotContext) -> None:
    """/start: what the bot is, with example questions as buttons."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(
        texts.welcome_html(), reply_markup=render.examples_keyboard(texts.EXAMPLES)
    )


async def on_help(update: Update, context: BotContext) -> None:
    """/help: how to ask, with examples."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(texts.help_html(context.bot.username))


async def on_sources(update: Update, context: BotContext) -> None:
    """/sources: the indexed sources, paginated."""
    message = update.effective_message
    if message is None:
        return
    text, keyboard = texts.sources_page(context.knowledge.sources, 0)
    await message.reply_text(text, reply_markup=keyboard)


async def on_button(update: Update, context: BotContext) -> None:
    """A button press: validate its data, answer the query first, then do the work."""
    query = update.callback_query
    if query is None:
        return
    message = query.message if isinstance(query.message, Message) else None
    data = render.decode(query.data) if message is None or offered(message, query.data) else None
    target = _button_target(data, message, context)
    if target is None or message is None:
        text = texts.EXPIRED if data else texts.UNKNOWN_BUTTON
        await quietly(query.answer(text, show_alert=True))
        return
    await quietly(query.answer())
    await BUTTONS[data.kind](message, context, target)


def offered(message: Message, data: str | None) -> bool:
    """True when ``data`` is on one of ``message``'s own buttons; any other data is forged."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    return any(button.callback_data == data for row in rows for button in row)


def _button_target(
    data: render.Callback | None, message: Message | None, context: BotContext
) -> object | None:
    """What a button points at (a question, passage or page), or None if stale or forged."""
    if data is None:
        return None
    if data.kind == "source":
        return context.state.loaded.passage(data.key)
    if data.kind == "example":
        return texts.EXAMPLES[data.number] if data.number < len(texts.EXAMPLES) else None
    if data.kind == "list":
        return data
    question = context.state.recall(data.key)
    if question is None and message and message.reply_to_message:
        original = question_of(message.reply_to_message, context.bot.username)
        question = original if render.question_key(original) == data.key else None
    return (question, data.number) if question else None


async def _more(message: Message, context: BotContext, target: tuple[str, int]) -> None:
    """The next results of a question, as a new message."""
    question, offset = target
    answer = await asyncio.to_thread(context.knowledge.ask, question, 3, offset)
    await _send_answer(message.reply_to_message or message, answer)


async def _source(message: Message, context: BotContext, passage: Passage) -> None:
    """The passage in full with its citation."""
    source = context.knowledge.source(passage.source_id)
    if source is not None:
        await message.reply_text(render.passage_html(passage, source))


async def _example(message: Message, context: BotContext, question: str) -> None:
    """An example question from /start, answered."""
    await answer_question(message, context, question, "button")


async def _list(message: Message, context: BotContext, data: render.Callback) -> None:
    """Another page of /sources, in place."""
    text, keyboard = texts.sources_page(context.knowledge.sources, data.number)
    await quietly(message.edit_text(text, reply_markup=keyboard))


BUTTONS = {"more": _more, "source": _source, "example": _example, "list": _list}

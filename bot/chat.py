"""Chat handlers: questions in private chats and groups, commands, and the answer buttons."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable
from typing import TypeVar

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType

from bot import answers, keyboards, render, texts
from bot.answers import Shown
from bot.delivery import best_effort, reply
from bot.language import answer_language, app_language, help_language, in_language
from bot.phrases import say
from bot.state import BotContext
from knowledge import TOPIC_TOP, Answer, FollowUp, Knowledge, follow_up, refers_back
from knowledge.answer import suggested_questions
from knowledge.language.courtesy import asks_about_the_bot, is_courtesy, is_greeting

logger = logging.getLogger(__name__)

_COMMAND = re.compile(r"^/\w+(@\w+)?(\s+|$)")
# "typing…" only for an answer not ready by then: answers take milliseconds, and a chat action
# before each would spend half of AIORateLimiter's 30 requests/s on an indicator nobody sees
TYPING_AFTER_S = 0.5
# a private message opening with "and…"/"what about…" continues the bot's last answer in the
# chat, when that came within this many seconds, as a reply to it would
FOLLOW_UP_S = 600

T = TypeVar("T")


def question_of(message: Message, username: str) -> str:
    """The question in ``message`` (its text, or a photo's caption): without a leading command
    or an @mention of the bot."""
    text = _COMMAND.sub("", message.text or message.caption or "", count=1)
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


def addresses_bot(message: Message, username: str, bot_id: int) -> bool:
    """True for a group message (or caption) that mentions the bot or replies to it (or to a
    message posted through it inline), or a caption that asks with /ask."""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return True
    if replied and replied.via_bot and replied.via_bot.id == bot_id:  # posted "via @bot"
        return True
    kinds = [MessageEntityType.MENTION]
    mentions = [*message.parse_entities(kinds).values()]
    mentions += message.parse_caption_entities(kinds).values()
    return any(m.lower() == f"@{username.lower()}" for m in mentions) or _asks_in_caption(
        message, username
    )


def _asks_in_caption(message: Message, username: str) -> bool:
    """A caption opening with /ask or /ask@<this bot>: no command handler reads captions."""
    found = _COMMAND.match(message.caption or "")
    name, _, bot = found.group().strip().partition("@") if found else ("", "", "")
    return name.lower() == "/ask" and bot.lower() in ("", username.lower())


async def send_answer(
    message: Message, context: BotContext, answer: Answer, understood: str = ""
) -> None:
    """Reply to ``message`` with ``answer`` and its buttons; keep it for buttons and follow-ups.

    ``understood`` is the question a follow-up was taken to ask, shown above the answer.
    """
    token, kept = answers.new_token(), context.state.answers
    if answer_language(answer, message.from_user) != answer.language:  # "2099?": no words
        answer = await asyncio.to_thread(in_language, answer, message.from_user, context.knowledge)
    keyboard = keyboards.answer_keyboard(answer, token, texts.ASKABLE)
    async with kept.sending(message.chat_id, token):
        html = render.answer_html(answer, understood)
        sent = await reply(message, html, keyboard)
        await kept.arecord(Shown.of(token, sent.chat_id, sent.message_id, answer))


async def with_typing(message: Message, work: Awaitable[T]) -> T:
    """Await ``work``; if it takes over ``TYPING_AFTER_S``, show "typing…" in the chat meanwhile."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER_S)
    if not done:
        await best_effort(message.reply_chat_action(ChatAction.TYPING))
    return await task


async def answer_question(
    message: Message,
    context: BotContext,
    question: str,
    via: str,
    top: int = 3,
    echo: bool = False,
) -> None:
    """Answer ``question`` under ``message`` with ``top`` cited excerpts and buttons, or a no.

    With ``echo`` the answer starts with the question ("↪ …"): one the user did not type.
    """
    if not question:
        await reply(message, texts.help_html(context.bot.username, app_language(message.from_user)))
        return
    started = time.perf_counter()
    shown = await replied_answer(message, context)
    if shown is None and _continues(message, question):  # "and Ukraine?" typed, not replied
        shown = await context.state.answers.alatest(message.chat_id, FOLLOW_UP_S)
    previous = shown.question if shown and shown.passages else ""  # a refusal has no topic
    previous = previous or inline_question(message, context.bot.id)
    work = asyncio.to_thread(ask_following, context.knowledge, previous, question, top)
    asked, answer = await with_typing(message, work)
    await send_answer(message, context, answer, asked.question if asked.combined or echo else "")
    context.state.metrics.record_answer(via, answer.answered, time.perf_counter() - started)
    await context.state.log.arecord(asked.question, answer.answered, answer.took_ms, via)


def _continues(message: Message, question: str) -> bool:
    """A private message, not a reply, that leans on the question before ("and Ukraine?")."""
    private = message.chat.type == ChatType.PRIVATE
    return private and message.reply_to_message is None and refers_back(question)


async def replied_answer(message: Message, context: BotContext) -> Shown | None:
    """The bot's answer that ``message`` replies to, while the bot still keeps it."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return await context.state.answers.areplied(message.chat_id, replied.message_id)


def inline_question(message: Message, bot_id: int) -> str:
    """The question of an inline post ("via @bot") that ``message`` replies to: the "↪ question"
    line a suggested question's answer or an excerpt opens with; "" for a "no sourced answer"
    card, which names none."""
    replied = message.reply_to_message
    if replied is None or replied.via_bot is None or replied.via_bot.id != bot_id:
        return ""
    first = (replied.text or "").partition("\n")[0]
    return first.removeprefix(render.ECHO).strip() if first.startswith(render.ECHO) else ""


def ask_following(
    known: Knowledge, previous: str, question: str, top: int
) -> tuple[FollowUp, Answer]:
    """What ``question`` asks, as a reply to the answer of ``previous`` (if any), and its answer.

    A follow-up that became a structured question gets a structured answer's first page.
    """
    asked = follow_up(previous, question, known.taxonomy) if previous else FollowUp(question, False)
    structured = asked.combined and asked.question.startswith("/")
    return asked, known.ask(asked.question, max(top, TOPIC_TOP) if structured else top)


async def on_private_text(update: Update, context: BotContext) -> None:
    """Any text in a private chat is a question, and so is the caption of a photo or video;
    an @mention of the bot in it is not part of the question. Thanks alone get no reply, a
    greeting the help."""
    message = update.effective_message
    if message is None or not (message.text or message.caption):
        return
    question = question_of(message, context.bot.username)
    if await _not_for_the_sources(message, context, question):
        return
    await answer_question(message, context, question, "private")


async def on_private_other(update: Update, context: BotContext) -> None:
    """An unknown command, or a photo, sticker or voice note without words: one line of help."""
    message = update.effective_message
    if message is None:
        return
    line = "unknown_command" if message.text else "words_only"
    await message.reply_text(say(line, app_language(message.from_user)))


async def on_group_text(update: Update, context: BotContext) -> None:
    """In a group, answer only a mention of the bot or a reply to it; ignore other chatter. A bare
    mention in reply to someone's message asks its words, as a bare /ask does."""
    message = update.effective_message
    if message is None or not addresses_bot(message, context.bot.username, context.bot.id):
        return
    question = question_of(message, context.bot.username) or replied_words(message, context.bot.id)
    if await _not_for_the_sources(message, context, question):
        return
    await answer_question(message, context, question, "group")


def replied_words(message: Message, bot_id: int) -> str:
    """The words of the message ``message`` replies to (a bare /ask or @mention asks them), unless
    the bot sent it: whoever wrote it, a member, an anonymous admin or a channel."""
    replied = message.reply_to_message
    if replied is None or (replied.from_user is not None and replied.from_user.id == bot_id):
        return ""
    return (replied.text or replied.caption or "").strip()


async def _not_for_the_sources(message: Message, context: BotContext, text: str) -> bool:
    """Handle a message that asks nothing of the sources; True when it was one.

    A greeting or a question about the bot gets the help; thanks ("thanks!", "ok 👍") and, in a
    group, a reply of emoji alone get nothing (nor a line in the question log).
    """
    if is_greeting(text) or asks_about_the_bot(text):
        language = help_language(message.from_user, text)  # "hi": the app's language
        await message.reply_text(texts.help_html(context.bot.username, language))
        return True
    wordless = bool(text) and not any(c.isalnum() for c in text)
    return is_courtesy(text) or (wordless and message.chat.type != ChatType.PRIVATE)


async def on_ask(update: Update, context: BotContext) -> None:
    """/ask QUESTION, in any chat; a bare /ask in reply to someone's message asks its words."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or ()) or replied_words(message, context.bot.id)
    via = "private" if message.chat.type == ChatType.PRIVATE else "group"
    await answer_question(message, context, question, via)


async def on_start(update: Update, context: BotContext) -> None:
    """/start: what the bot is, with example questions as buttons."""
    message = update.effective_message
    if message is None:
        return
    group, language = message.chat.type != ChatType.PRIVATE, app_language(message.from_user)
    await message.reply_text(
        texts.welcome_html(context.bot.username, group, language),
        reply_markup=keyboards.examples_keyboard(suggested_questions(language), texts.ASKABLE),
    )


async def on_added(update: Update, context: BotContext) -> None:
    """Added to a group (again): say there how to ask, as /start does; members cannot guess
    that a plain message is not a question to the bot."""
    message = update.effective_message
    if message is None:
        return
    created = bool(message.group_chat_created)  # a group made with the bot among its members
    if created or any(m.id == context.bot.id for m in message.new_chat_members):
        await on_start(update, context)


async def on_help(update: Update, context: BotContext) -> None:
    """/help: how to ask, with examples, in the sender's language (en, uk, ru)."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(texts.help_html(context.bot.username, app_language(message.from_user)))


async def on_sources(update: Update, context: BotContext) -> None:
    """/sources: the indexed sources, paginated."""
    message = update.effective_message
    if message is None:
        return
    listed = await asyncio.to_thread(context.state.listed_sources)
    text, keyboard = texts.sources_page(listed, 0, app_language(message.from_user))
    await message.reply_text(text, reply_markup=keyboard)

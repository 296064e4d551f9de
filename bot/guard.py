"""The flood guard's handler: runs before every other handler and stops a question past its
user's or group's limit (``bot.flood``), before any work is done for it.

Counted: every new message in a private chat, a group message the bot would act on (a
command it knows, a mention of it or a reply to it), and the buttons that ask (More, an example
question). Not counted: votes, Source and page buttons, thanks ("thanks!", "ok 👍"), inline
queries (Telegram sends one per pause in typing, and caches the answers), edits, chatter in
groups, and anything from an admin. A message sent anonymously by a group's admins, or on behalf
of a channel, counts for that group or channel as one sender (keyed by ``sender_chat``, not by
Telegram's shared placeholder user), and its notice is worded for them; so does a command a
channel's admins post in the channel itself (/follow...), which counts for the channel as a
group too.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.chat import addresses_bot
from bot.delivery import best_effort
from bot.flood import Decision, FloodGuard
from bot.language import app_language
from bot.phrases import count, say
from bot.state import BotContext
from knowledge.language.courtesy import is_courtesy

__all__ = [
    "GROUP",
    "add_handler",
    "is_handled",
    "is_question",
    "notice",
    "on_update",
    "sender_of",
]

GROUP = -2  # before every other handler group (edits are dropped in -1, questions in 0)


# who passed their own limit -> the notice's line, worded for them: a person ("You've
# asked…"), a group's anonymous admins or a channel speaking in a group (no one person)
SENDER_LINES = {
    "person": "flood_user",
    "anonymous": "flood_anonymous",
    "as_channel": "flood_as_channel",
}
CHANNEL = "channel"  # a channel's own posts: every limit is the channel's (its admins' commands)


def notice(
    decision: Decision, guard: FloodGuard, wait_s: int, language: str = "en", sender: str = "person"
) -> str:
    """The one polite line, in ``language``, sent when a limit is first passed: when to ask
    again, worded for the ``sender`` (:func:`sender_of`), not always for a person."""
    seconds = count(wait_s, "seconds", language)
    when = say("in_seconds", language, seconds=seconds) if wait_s > 1 else say("soon", language)
    group = decision is Decision.NOTICE_GROUP
    limits = guard.limits
    limit = limits.per_group_per_minute if group else limits.per_user_per_minute
    if sender == CHANNEL:
        return say(
            "flood_channel", language, commands=count(limit, "commands", language), when=when
        )
    questions = count(limit, "questions", language)
    line = "flood_group" if group else SENDER_LINES[sender]
    return say(line, language, questions=questions, when=when)


def sender_of(update: Update) -> str:
    """Who sent ``update``, as its flood notice addresses them: ``CHANNEL`` for a channel's own
    post, "anonymous" for a group's anonymous admins, "as_channel" for a channel speaking in a
    group (Telegram sets ``sender_chat`` for both), else "person"."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.CHANNEL:
        return CHANNEL
    sent_as = update.message.sender_chat if update.message is not None else None
    if sent_as is None:
        return "person"
    return "anonymous" if chat is not None and sent_as.id == chat.id else "as_channel"


def is_question(update: Update, context: BotContext) -> bool:
    """True for an update the bot would spend an answer on (see the module docstring)."""
    if update.callback_query is not None:  # "More" and example questions are answered
        pressed = context.pressed
        return pressed is not None and pressed.kind in ("more", "example")
    message = update.message or update.channel_post  # new messages only
    if message is None:
        return False
    if is_courtesy(message.text or message.caption or ""):  # "thanks!" gets no reply
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    if (message.text or "").startswith("/"):
        return is_handled(update, context)
    return addresses_bot(message, context.bot.username, context.bot.id)


def is_handled(update: Update, context: BotContext) -> bool:
    """True when a handler of the default group takes ``update`` (for a text opening with "/",
    a command the bot knows there)."""
    return any(h.check_update(update) for h in context.application.handlers.get(0, ()))


async def on_update(update: Update, context: BotContext) -> None:
    """Let a question through, or stop it: one notice when a limit is reached, then silence."""
    user, sender = update.effective_user, update.effective_sender
    if sender is None or (user is not None and context.state.is_admin(user.id)):
        return
    if not is_question(update, context):
        return
    chat = update.effective_chat
    group = chat.id if chat is not None and chat.type != ChatType.PRIVATE else None
    # an anonymous admin is the group itself, a member speaking as a channel the channel:
    # Telegram gives all of them, in every group, one shared user (GroupAnonymousBot...);
    # a channel's own post has no user at all, only the channel (its admins, together)
    key = sender.id
    guard = context.state.flood
    decision = guard.check(key, group)
    if decision is Decision.ANSWER:
        return
    context.state.metrics.flood_refused.labels(decision.value).inc()
    wait_s = guard.wait(key, group)
    language = app_language(user)  # the asker's app language (a channel, a placeholder: en)
    text = notice(decision, guard, wait_s, language, sender_of(update))
    await _tell(update, None if decision is Decision.SILENCE else text)
    raise ApplicationHandlerStop


async def _tell(update: Update, text: str | None) -> None:
    """Send a refused update's notice (``text``), or nothing; a press is always answered, or
    its button keeps spinning."""
    if update.callback_query is not None:
        await best_effort(update.callback_query.answer(text, show_alert=text is not None))
    elif text is not None and update.effective_message is not None:
        await best_effort(update.effective_message.reply_text(text))


def add_handler(app: Application) -> None:
    """Register the guard ahead of every other handler."""
    app.add_handler(TypeHandler(Update, on_update), group=GROUP)

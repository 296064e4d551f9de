"""The flood guard's handler: runs before every other handler and stops a question past its
user's or group's limit (``bot.flood``), before any work is done for it.

Counted: every new message in a private chat, a group message the bot would act on (a
command it knows, a mention of it or a reply to it), and the buttons that ask (More, an example
question). Not counted: votes, Source and page buttons, thanks ("thanks!", "ok 👍"), inline
queries (Telegram sends one per pause in typing, and caches the answers), edits, chatter in
groups, and anything from an admin. A message sent anonymously by a group's admins, or on behalf
of a channel, counts for that group or channel as one sender; so does a command a channel's
admins post in the channel itself (/follow...), which counts for the channel as a group too.
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

__all__ = ["GROUP", "add_handler", "is_handled", "is_question", "notice", "on_update"]

GROUP = -2  # before every other handler group (edits are dropped in -1, questions in 0)


def notice(
    decision: Decision, guard: FloodGuard, wait_s: int, language: str = "en", channel: bool = False
) -> str:
    """The one polite line, in ``language``, sent when a limit is first passed: when to ask
    again; in a ``channel``, worded for the channel (its admins' commands), not for a person."""
    seconds = count(wait_s, "seconds", language)
    when = say("in_seconds", language, seconds=seconds) if wait_s > 1 else say("soon", language)
    group = decision is Decision.NOTICE_GROUP
    limits = guard.limits
    limit = limits.per_group_per_minute if group else limits.per_user_per_minute
    if channel:
        return say(
            "flood_channel", language, commands=count(limit, "commands", language), when=when
        )
    questions = count(limit, "questions", language)
    return say("flood_group" if group else "flood_user", language, questions=questions, when=when)


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
    language = app_language(user)  # a notice speaks the asker's app language (a channel: en)
    channel = chat is not None and chat.type == ChatType.CHANNEL
    told = decision is not Decision.SILENCE
    await _tell(update, notice(decision, guard, wait_s, language, channel) if told else None)
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

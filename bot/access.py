"""Admin-only commands (/reload, /stats, /add, /feeds, uploads): the sender check and the
polite refusal everyone else gets, in one place for every module with admin handlers."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.language import app_language
from bot.phrases import say
from bot.state import BotContext

__all__ = ["admin_message"]

logger = logging.getLogger(__name__)


async def admin_message(update: Update, context: BotContext) -> Message | None:
    """The message if its sender is an admin; otherwise refuse politely and return None."""
    message = update.effective_message
    if message is None:
        return None
    user = update.effective_user
    if message.sender_chat is not None:  # an anonymous admin, or a channel: no one to check
        logger.info("refused an admin command sent as chat %s", message.sender_chat.id)
        await message.reply_text(say("refused_anonymous", app_language(user)))
        return None
    if not context.state.is_admin(user.id if user else None):
        logger.info("refused an admin command from user %s", user.id if user else None)
        await message.reply_text(say("refused", app_language(user)))
        return None
    return message

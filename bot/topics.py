"""Structured commands: /stakeholders, /demands, /outcomes, /compare, in any chat.

The handlers are thin: the command text goes to ``Knowledge.ask``, which routes it to the
taxonomy's structured answer (cited excerpts only); "More results" pages on through the same
question. Inline mode needs nothing here: ``@bot demands russia`` routes the same way.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler

from bot import texts
from bot.chat import answer_question
from bot.language import app_language
from bot.state import BotContext
from knowledge import TOPIC_TOP

__all__ = ["COMMANDS", "add_handlers", "on_topic"]

COMMANDS = (
    ("stakeholders", "Who takes part, and in what role (e.g. /stakeholders turkey)"),
    ("demands", "What each side demands (e.g. /demands russia)"),
    ("outcomes", "What each round of talks produced, oldest first"),
    ("compare", "Ukraine's and Russia's positions on a topic (e.g. /compare crimea)"),
)


async def on_topic(update: Update, context: BotContext) -> None:
    """/stakeholders, /demands, /outcomes or /compare, with an optional name."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if not context.args and message.text.split("@")[0].strip().lower() == "/compare":
        topics = context.knowledge.ask("/compare").suggestions  # the topics it can compare
        language = app_language(update.effective_user)
        await message.reply_text(texts.compare_usage_html(topics, language))
        return
    via = "private" if message.chat.type == ChatType.PRIVATE else "group"
    await answer_question(message, context, message.text.strip(), via, TOPIC_TOP)


def add_handlers(app: Application) -> None:
    """Register one handler for the four structured commands."""
    app.add_handler(CommandHandler([name for name, _ in COMMANDS], on_topic))

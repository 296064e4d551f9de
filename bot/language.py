"""Which language to speak to a reader in: English, Ukrainian or Russian (the one owner).

An answer speaks its question's language when the question has words (letters) of one; a
question without any ("2099?", "🤔", a bare /demands) and everything else the bot says —
/start, /help, button alerts, notices — speak the reader's Telegram app language when it is
Ukrainian or Russian, else English. A greeting or a help request in English ("hi") speaks
the app's language too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from knowledge import Answer, Knowledge
from knowledge.language.detect import detect_language

if TYPE_CHECKING:  # annotations only: the CLI decides an answer's language without Telegram
    from telegram import Update, User

__all__ = [
    "answer_language",
    "app_language",
    "has_words",
    "help_language",
    "in_language",
    "language_of",
    "reply_language",
]

SPOKEN = ("uk", "ru")  # besides English
_COMMAND = re.compile(r"^\s*/\S+")  # "/demands", "/outcomes@bot": not the reader's words


def has_words(text: str) -> bool:
    """True when ``text`` has a letter of some language in it."""
    return any(c.isalpha() for c in text)


def app_language(user: User | None) -> str:
    """``user``'s Telegram app language when it is Ukrainian or Russian, else English."""
    code = (user.language_code or "")[:2].lower() if user else ""
    return code if code in SPOKEN else "en"


def language_of(user: User | None, text: str = "") -> str:
    """The language to answer ``text`` from ``user`` in: the text's when it has words, else
    the user's app language (the only one for a button press, a notice or a command)."""
    return detect_language(text) if has_words(text) else app_language(user)


def help_language(user: User | None, text: str) -> str:
    """The language to answer a greeting or a help request in: its own when Ukrainian or
    Russian ("привіт"), else ``user``'s app language: "hi", "hello" and "help" are typed in
    any language's app."""
    found = language_of(user, text)
    return found if found in SPOKEN else app_language(user)


def reply_language(update: Update) -> str:
    """The language to reply to ``update`` in: its message's words', else the sender's app
    language (a button press, a photo)."""
    message = update.message
    text = (message.text or message.caption or "") if message else ""
    return language_of(update.effective_user, text)


def answer_language(answer: Answer, user: User | None) -> str:
    """The language to show ``answer`` to ``user`` in: the one the core detected in its
    question when that has words besides a command's name, else the user's app language
    ("2099?", a bare /demands)."""
    asked = _COMMAND.sub("", answer.question, count=1)
    return answer.language if has_words(asked) else app_language(user)


def in_language(answer: Answer, user: User | None, knowledge: Knowledge) -> Answer:
    """``answer`` as shown to ``user``: in :func:`answer_language`, with a refusal's suggested
    questions in it too."""
    language = answer_language(answer, user)
    if language == answer.language:
        return answer
    refused = not answer.answered and answer.topic is None
    suggestions = knowledge.suggestions(language) if refused else answer.suggestions
    return replace(answer, language=language, suggestions=suggestions)

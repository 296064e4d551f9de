"""Inline mode: ``@bot query`` in any chat lists cited excerpts, ten per page."""

from __future__ import annotations

import asyncio
import re
import time

from telegram import InlineQuery, Update

from bot import render
from bot.delivery import quietly
from bot.language import app_language, has_words, in_language
from bot.state import BotContext
from knowledge import MAX_RESULTS, Answer, Knowledge
from knowledge.language.tokenize import tokenize

CACHE_SECONDS = 60  # Telegram may reuse an answer this long; a reload shows within a minute
_OFFSET = re.compile(r"0|[1-9][0-9]{0,2}")  # as the bot writes them: ASCII, no leading zeros


def parse_offset(offset: str) -> int:
    """The page start an ``offset`` names; one the bot never issues reads as the first page."""
    if _OFFSET.fullmatch(offset):
        value = int(offset)
        if value % render.INLINE_PAGE == 0 and value < MAX_RESULTS:
            return value
    return 0


def suggested(knowledge: Knowledge, language: str = "en") -> list[Answer]:
    """Answers to the suggested questions in ``language`` the sources answer, for an empty
    query."""
    return [knowledge.ask(question) for question in knowledge.suggestions(language)]


async def _suggest(query: InlineQuery, context: BotContext) -> None:
    """The suggested questions in the user's app language, cached for that user alone."""
    language = app_language(query.from_user)
    answers = await asyncio.to_thread(suggested, context.knowledge, language)
    results = render.suggestion_results(answers, language)
    await quietly(query.answer(results, cache_time=CACHE_SECONDS, is_personal=True))


async def on_inline_query(update: Update, context: BotContext) -> None:
    """Answer an inline query with a page of excerpt articles, or the suggested questions while
    it has no word to search ("", "What d", "the")."""
    query = update.inline_query
    if query is None:
        return
    text = query.query.strip()
    if not tokenize(text):  # "", "W", "What d", "the", "🕊️": still typing, or nothing to search
        await _suggest(query, context)
        return
    offset, started = parse_offset(query.offset), time.perf_counter()
    answer = await asyncio.to_thread(context.knowledge.ask, text, render.INLINE_PAGE, offset)
    # "2099" has no words: its refusal speaks the user's language, so Telegram must not
    # cache it for everyone (is_personal)
    personal = not has_words(text)
    if personal:
        answer = await asyncio.to_thread(in_language, answer, query.from_user, context.knowledge)
    more = answer.has_more and offset + render.INLINE_PAGE < MAX_RESULTS
    results = render.inline_results(answer)
    # None, not "": PTB 22.8's Defaults turn an empty string parameter into "[]".
    next_offset = str(offset + render.INLINE_PAGE) if more else None
    await quietly(
        query.answer(
            results, cache_time=CACHE_SECONDS, next_offset=next_offset, is_personal=personal
        )
    )
    context.state.metrics.record_answer("inline", answer.answered, time.perf_counter() - started)
    if offset == 0:  # a question once, not once per page scrolled
        await context.state.log.arecord(text, answer.answered, answer.took_ms, "inline")

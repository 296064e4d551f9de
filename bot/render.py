"""Answers to Telegram HTML, keyboards and inline results; pure, no I/O.

Source and user text is escaped with :func:`html.escape` at the last step. Lengths are
measured as Telegram measures them (:mod:`bot.textfit`), against the limits in
:mod:`telegram.constants`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import InlineQueryLimit, MessageLimit

from bot.phrases import say
from bot.textfit import ELLIPSIS, MAX_TEXT, clean, cut, fit_blocks, short_html, visible_len
from knowledge import Answer, Excerpt, Passage, Source, as_of_note, no_english_note

MAX_FIELD = 200  # longest title, author, publisher... shown in a citation (chars)
INLINE_PAGE = 10  # inline results per page (Telegram allows up to InlineQueryLimit.RESULTS)
ECHO = "↪ "  # opens an answer to a question the chat did not see typed: a follow-up, an inline post
MAX_URL = 2048  # longest URL linked from a citation


if INLINE_PAGE > InlineQueryLimit.RESULTS:
    raise RuntimeError(f"INLINE_PAGE {INLINE_PAGE} > Telegram's {InlineQueryLimit.RESULTS}")
if MAX_TEXT != MessageLimit.MAX_TEXT_LENGTH:
    raise RuntimeError(f"MAX_TEXT {MAX_TEXT} != Telegram's {MessageLimit.MAX_TEXT_LENGTH}")


def bold_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` cleaned and escaped, with the ``[start, end)`` spans (clipped, merged) in bold."""
    merged: list[list[int]] = []
    for start, end in sorted((max(s, 0), min(e, len(text))) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, pos = [], 0
    for start, end in merged:
        parts += [_escape(text[pos:start]), "<b>", _escape(text[start:end]), "</b>"]
        pos = end
    parts.append(_escape(text[pos:]))
    return "".join(parts)


def _escape(text: str) -> str:
    return escape(clean(text), quote=False)


def _field(value: str | None) -> str:
    return cut(clean(value or "").strip(), MAX_FIELD)


def linkable(url: str | None) -> str:
    """``url`` stripped when a citation may link it (http(s), short, no control bytes), else ""."""
    url = (url or "").strip()
    ok = url.startswith(("https://", "http://")) and len(url) <= MAX_URL
    return url if ok and clean(url) == url else ""


def citation(source: Source) -> str:
    """``— Title, author, publisher, date`` in HTML; the title links when the URL is http(s)."""
    title = escape(_field(source.title) or source.id[:MAX_FIELD], quote=False)
    url = linkable(source.url)
    if url:
        title = f'<a href="{escape(url)}">{title}</a>'
    rest = [_field(v) for v in (source.author, source.publisher, source.published)]
    tail = "".join(f", {escape(v, quote=False)}" for v in rest if v)
    return f"<i>— {title}{tail}</i>"


def _excerpt_block(
    excerpt: Excerpt, budget: int, language: str = "en", numbered: bool = True
) -> str:
    text = excerpt.text  # cleaned piecewise by bold_spans, so highlight offsets stay valid
    shown = cut(text, budget)
    body = bold_spans(shown, excerpt.highlights if shown == text else _clip(excerpt, shown))
    # which side, topic or round, in structured answers: named in the reply's language
    label = _field(excerpt.label_in(language))
    label = f"<b>{escape(label, quote=False)}</b>\n" if label else ""
    number = f"<b>{excerpt.rank}.</b> " if numbered else ""
    return f"{number}{label}{body}\n{citation(excerpt.source)}"


def _clip(excerpt: Excerpt, shown: str) -> tuple[tuple[int, int], ...]:
    limit = len(shown) - len(ELLIPSIS)
    return tuple((s, min(e, limit)) for s, e in excerpt.highlights if s < limit)


def answer_html(answer: Answer, understood: str = "") -> str:
    """The reply to a question: numbered excerpts with bold terms and citations, or a no.

    A follow-up first shows the question it was ``understood`` to ask ("↪ What does Ukraine
    demand?"). A question asked in Ukrainian or Russian and answered gets a line, in that
    language, saying that the quotes shown are in English (when they are).
    """
    quoted = no_english_note(answer.language, [e.text for e in answer.excerpts])
    head = _notes_html([_echo(understood), quoted, as_of_note(answer.as_of, answer.language)])
    if not answer.answered:
        return head + no_answer_html(answer)
    excerpts = answer.excerpts
    limit = MAX_TEXT - visible_len(head)

    def block(i: int, budget: int) -> str:
        return _excerpt_block(excerpts[i], budget, answer.language)

    return head + fit_blocks(block, len(excerpts), limit)


def _echo(question: str) -> str:
    """The "↪ question" line opening a reply to a question the chat did not see typed (a
    follow-up, a suggestion, an inline post); "" for none. A reply to it follows it up."""
    return f"{ECHO}{cut(clean(question), MAX_FIELD)}" if question else ""


def _notes_html(notes: Sequence[str]) -> str:
    """The lines above the excerpts, in italics, then a blank line; "" when all are empty."""
    shown = "\n".join(f"<i>{escape(n, quote=False)}</i>" for n in notes if n)
    return f"{shown}\n\n" if shown else ""


def no_answer_html(answer: Answer) -> str:
    """An honest "no sourced answer", with suggestions, in the question's language."""
    said = say("no_answer", answer.language)
    tips = "\n".join(f"• {short_html(s, MAX_FIELD)}" for s in answer.suggestions)
    return f"{said}\n\n{say('no_answer_lead', answer.language)}\n{tips}" if tips else said


def passage_html(passage: Passage, source: Source) -> str:
    """A passage in full (cut to fit) with its citation, for the "Source" button."""
    head = f"<b>{escape(_field(source.title), quote=False)}</b>"
    section = f"\n<i>{escape(_field(passage.section), quote=False)}</i>" if passage.section else ""

    def render(_: int, budget: int) -> str:
        body = short_html(passage.text, budget)
        return f"{head}{section}\n\n{body}\n\n{citation(source)}"

    return fit_blocks(render, 1)


def passage_key(passage: Passage) -> str:
    """The key of a passage shown by a "Source" button: its content hash (``Passage.ref``).

    Edits elsewhere in the source leave the button working; an edit of the passage itself
    makes it find nothing and say it expired, never show whichever passage took its place.
    """
    return passage.ref


# --- inline mode ---------------------------------------------------------------------------


def inline_results(answer: Answer, prefix: str = "") -> list[InlineQueryResultArticle]:
    """One article per excerpt: title = source, description = excerpt, message = the cited
    excerpt under the query it answers ("↪ minsk"), which a reply to the post follows up."""
    if not answer.answered:
        return [] if answer.offset else [_no_answer_result(answer)]
    results = []
    head = _notes_html([_echo(answer.question)])
    for excerpt in answer.excerpts[:INLINE_PAGE]:
        # posted alone in a chat: no rank number ("8.") from a list the chat never saw
        message = head + fit_blocks(
            lambda _, budget, e=excerpt: _excerpt_block(e, budget, answer.language, False),
            1,
            MAX_TEXT - visible_len(head),
        )
        results.append(
            InlineQueryResultArticle(
                id=f"{prefix}{excerpt.rank}:{passage_key(excerpt.passage)}",
                title=_field(excerpt.source.title) or excerpt.source.id[:MAX_FIELD],
                description=cut(clean(excerpt.text), MAX_FIELD),
                input_message_content=InputTextMessageContent(message),
            )
        )
    return results


def _no_answer_result(answer: Answer) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id="no-answer",
        title=say("no_answer_title", answer.language),
        description=say("no_answer_card", answer.language),
        input_message_content=InputTextMessageContent(no_answer_html(answer)),
    )


def suggestion_results(
    answers: Sequence[Answer], language: str = "en"
) -> list[InlineQueryResultArticle]:
    """For an empty inline query: one article per example question, posting its answer
    under the question ("↪ What does Russia demand?"), which the chat has not seen; the
    cards' words in ``language``."""
    return [
        InlineQueryResultArticle(
            id=f"topic{i}",
            title=_field(a.question) or say("suggested_title", language),
            description=say("suggested_card", language),
            input_message_content=InputTextMessageContent(answer_html(a, a.question)),
        )
        for i, a in enumerate(answers[:INLINE_PAGE])
    ]

"""Inline keyboards under answers and lists, and their callback data codec; pure, no I/O.

Callback data stays within Telegram's 64 bytes. Answer buttons carry the token of a row in
``bot.answers``; anything :func:`decode` does not recognise is not data this bot issued.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

from bot.phrases import say
from bot.textfit import cut
from knowledge import Answer

MAX_CALLBACK = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA

# "m:<answer>" more, "s:<answer>:<i>" source of the answer's i-th excerpt (from 0),
# "v:<answer>:+" / "v:<answer>:-" a vote, "r:<answer>:<reason>" why 👎 (a key of REASONS),
# "e:<n>" example, "l:<page>" sources page; <answer> is a token of ``bot.answers``.
# why an answer was 👎, as /stats names it; its buttons speak the presser's language (phrases)
REASONS = {"w": "Wrong source", "o": "Outdated", "n": "Not an answer"}
VOTES = {"+": "👍", "-": "👎"}


@dataclass(frozen=True, slots=True)
class Callback:
    """Decoded button data: ``kind`` is more, source, vote, reason, example or list."""

    kind: str
    key: str = ""  # the answer token
    number: int = 0  # excerpt (from 0), example or page
    choice: str = ""  # a vote ("+", "-") or a reason (a key of REASONS)


_TOKEN = r"(?P<key>[0-9a-f]{16})"
_FORMS = {  # first letter -> the kind and the form of the rest
    "m": ("more", re.compile(_TOKEN)),
    "s": ("source", re.compile(rf"{_TOKEN}:(?P<number>[0-9]{{1,2}})")),
    "v": ("vote", re.compile(rf"{_TOKEN}:(?P<choice>[+-])")),
    "r": ("reason", re.compile(rf"{_TOKEN}:(?P<choice>[{''.join(REASONS)}])")),
    "e": ("example", re.compile(r"(?P<number>[0-9]{1,4})")),
    "l": ("list", re.compile(r"(?P<number>[0-9]{1,4})")),
}


def encode(kind: str, key: str = "", number: int = 0, choice: str = "") -> str:
    """Button data for ``kind`` ("m", "s", "v", "r", "e", "l"); within Telegram's 64 bytes."""
    tail = {"m": "", "s": f":{number}", "v": f":{choice}", "r": f":{choice}"}
    data = f"{kind}:{key}{tail[kind]}" if kind in tail else f"{kind}:{number}"
    if len(data.encode()) > MAX_CALLBACK:
        raise ValueError(f"callback data over {MAX_CALLBACK} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """The button behind ``data``, or None when it is not data this bot issues."""
    letter, _, rest = (data or "").partition(":")
    kind, form = _FORMS.get(letter, ("", None))
    match = form.fullmatch(rest) if form else None
    if match is None:
        return None
    found = match.groupdict()
    number = int(found.get("number") or 0)
    return Callback(kind, found.get("key") or "", number, found.get("choice") or "")


SOURCES_PER_ROW = 5  # "Source N" buttons in one row (Telegram takes at most 8)


def answer_keyboard(
    answer: Answer, token: str, askable: Sequence[str] = ()
) -> InlineKeyboardMarkup:
    """ "Source" buttons for each excerpt, "More" when there are further results, 👍 / 👎, in
    the answer's language; under a refusal, a button for each suggested question among
    ``askable`` (its number is the index there)."""
    rows, language = [], answer.language
    if answer.answered:
        sources = [
            InlineKeyboardButton(
                say("source", language, n=e.rank), callback_data=encode("s", token, i)
            )
            for i, e in enumerate(answer.excerpts)
        ]
        rows += [sources[i : i + SOURCES_PER_ROW] for i in range(0, len(sources), SOURCES_PER_ROW)]
    if answer.answered and answer.has_more:
        more = InlineKeyboardButton(say("more", language), callback_data=encode("m", token))
        rows.append([more])
    if not answer.answered:  # the suggested questions, one tap each
        asked = [q for q in answer.suggestions if q in askable]
        rows += [
            [InlineKeyboardButton(cut(q, 60), callback_data=encode("e", number=askable.index(q)))]
            for q in asked
        ]
    votes = [
        InlineKeyboardButton(t, callback_data=encode("v", token, choice=c))
        for c, t in VOTES.items()
    ]
    return InlineKeyboardMarkup([*rows, votes])


def with_reasons(
    markup: InlineKeyboardMarkup, token: str, language: str = "en"
) -> InlineKeyboardMarkup | None:
    """``markup`` with a row asking why 👎 (wrong source, outdated...) in ``language``; None
    if it has one."""
    reasons = [
        InlineKeyboardButton(
            say(f"reason_{key}", language), callback_data=encode("r", token, choice=key)
        )
        for key in REASONS
    ]
    if any(
        b.callback_data == reasons[0].callback_data for row in markup.inline_keyboard for b in row
    ):
        return None
    return InlineKeyboardMarkup([*markup.inline_keyboard, reasons])


def without_more(markup: InlineKeyboardMarkup, token: str) -> InlineKeyboardMarkup:
    """``markup`` without its "More results" button (pressed: the next page has its own)."""
    more = encode("m", token)
    rows = [[b for b in row if b.callback_data != more] for row in markup.inline_keyboard]
    return InlineKeyboardMarkup([row for row in rows if row])


def examples_keyboard(examples: Sequence[str], askable: Sequence[str]) -> InlineKeyboardMarkup:
    """One button per example question; its number is the question's index in ``askable``."""
    rows = [
        [InlineKeyboardButton(cut(q, 60), callback_data=encode("e", number=askable.index(q)))]
        for q in examples
        if q in askable
    ]
    return InlineKeyboardMarkup(rows)

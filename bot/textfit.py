"""Text measured, cut, escaped and fitted as Telegram counts it; pure, no ``telegram`` import.

Lengths are measured as Telegram measures them (the text after entity parsing, in UTF-16
code units — stricter than code points for emoji). :mod:`bot.render` builds answers on it;
the terminal's feed digest (``python -m bot feeds --once``) uses it without loading
python-telegram-bot.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape, unescape

MAX_TEXT = 4096  # Telegram's MessageLimit.MAX_TEXT_LENGTH (bot.render checks they agree)
MAX_LINE = 300  # characters of one line of a report: a title, a URL, an error
ELLIPSIS = "…"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[^>]*>")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s")


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(markup: str) -> int:
    """Length of HTML this package produced, after Telegram parses its entities."""
    return tg_len(plain_text(markup))


def plain_text(markup: str) -> str:
    """What a user sees of HTML this package produced: the text without tags or entities."""
    return unescape(_TAG.sub("", markup))


def clean(text: str) -> str:
    """``text`` without control characters Telegram would choke on (keeps newlines and tabs)."""
    return _CONTROL.sub("", text)


def _fitting(text: str, budget: int) -> int:
    """The longest prefix length (code points) of ``text`` within ``budget`` UTF-16 units."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > budget:
            return i
    return len(text)


def cut(text: str, budget: int) -> str:
    """``text`` within ``budget`` units, cut at a sentence (else a word) end, with "…"."""
    if tg_len(text) <= budget:
        return text
    head = text[: _fitting(text, max(budget - 1, 0))]
    ends = [m.end() for m in _SENTENCE_END.finditer(head + " ")]
    if ends and ends[-1] > len(head) // 2:
        head = head[: ends[-1]]
    elif " " in head[len(head) // 2 :]:
        head = head[: head.rindex(" ")]
    return head.rstrip() + ELLIPSIS


def short_html(text: str | None, size: int) -> str:
    """``text`` as a piece of Telegram HTML: control characters out, cut to ``size`` units,
    escaped."""
    return escape(cut(clean(text or ""), size), quote=False)


def line_html(text: str) -> str:
    """One line of a report (a title, a URL, an error) cleaned, cut and escaped."""
    return short_html(text, MAX_LINE)


def fit_blocks(render: Callable[[int, int], str], count: int, limit: int = MAX_TEXT) -> str:
    """Join ``render(i, budget)`` blocks, giving each the same share of what ``limit`` leaves."""
    unlimited = "\n\n".join(render(i, 10**9) for i in range(count))
    if visible_len(unlimited) <= limit:
        return unlimited
    fixed = visible_len("\n\n".join(render(i, 0) for i in range(count)))
    budget = max((limit - fixed) // max(count, 1), 1)
    return "\n\n".join(render(i, budget) for i in range(count))


def fit_lines(lines: Sequence[str], limit: int = MAX_TEXT) -> str:
    """Join ``lines`` as one message of at most ``limit`` visible characters: the first that
    fit, then "… and N more lines" for the rest."""
    kept, used = [], 0
    for i, line in enumerate(lines):
        rest = len(lines) - i - 1
        reserve = len(f"\n… and {len(lines)} more lines") if rest else 0
        if used + visible_len(line) + 1 + reserve > limit:
            return "\n".join([*kept, f"… and {len(lines) - i} more lines"])
        kept.append(line)
        used += visible_len(line) + 1
    return "\n".join(kept)

"""Questions about the latest state: spot them (en/uk/ru) and favour recent sources, boundedly.

A separate step after ranking: it re-weights the ranked hits by their source's date and
re-sorts them, never dropping one, so an undated or older passage is only pushed down.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from knowledge.models import Hit

__all__ = [
    "as_of_note",
    "asks_for_latest",
    "favour_recent",
    "names_no_topic",
    "newest",
    "oldest_first",
    "recency_weight",
    "without_recency",
]

T = TypeVar("T")
HALF_LIFE_DAYS = 30.0  # a source this much older than the newest one weighs half-way to FLOOR
FLOOR = 0.5  # the least a passage is weighted: undated or very old; so never hidden outright
_RECENCY = re.compile(
    r"\b(?:"
    # English
    r"latest|most\s+recent|recent(?:ly)?|newest|lately|up[\s-]to[\s-]date|this\s+week|"
    r"what'?s\s+new|"
    # Ukrainian: останні/останнє/останній…, найновіші…, нещодавно, цього тижня, свіжі, нові
    r"останн\w*|найнов\w*|нещодавн\w*|цього\s+тижня|на\s+цьому\s+тижні|свіж\w*|нові|нове|"
    # Russian: последние…, новейшие…, недавно, на этой неделе, свежие, новые
    r"последн\w*|новейш\w*|самы[ейх]\s+нов\w*|недавн\w*|(?:на\s+)?этой\s+неделе|свеж\w*|"
    r"новые|новое|новых|"
    # "what's new" in Ukrainian and Russian
    r"(?:що|чого|что|чего)\s+нового"
    r")\b",
    re.IGNORECASE,
)
# in a question about the latest state, "news" and "updates" name no topic: searched, they
# find passages that say "news" ("families were waiting for news of ...")
_NEWS = re.compile(
    r"\b(?:news|updates?|новин\w*|оновлен\w*|новост\w*|обновлен\w*)\b", re.IGNORECASE
)
# what is left of a question that names no topic: "what is the ?", "що ?", "что произошло ?"
_NO_TOPIC = re.compile(
    r"\b(?:what|whats|what's|is|are|was|were|the|a|on|in|about|any|anything|there|has|have|"
    r"been|happened|happening|going|so|far|tell|me|us|give|show|please|"
    r"що|чого|які|яка|яке|який|є|сталося|відбулося|відбувається|про|на|в|у|з|будь|ласка|"
    r"что|чего|какие|какая|какое|какой|есть|произошло|случилось|происходит|о|об|про|на|в|с|"
    r"пожалуйста)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w")
TALKS = {"en": "ceasefire talks", "uk": "переговори про перемир'я", "ru": "переговоры о перемирии"}


def asks_for_latest(question: str) -> bool:
    """True when ``question`` asks for the latest state ("latest", "останні", "последние"...)."""
    return bool(_RECENCY.search(question))


def without_recency(question: str, no_topic: bool | None = None) -> str:
    """``question`` without its recency words (nor "news"), so they are not searched for
    as topics; a question left with no topic ("what's new?") asks about the talks.

    ``no_topic`` is :func:`names_no_topic` of ``question``, when the caller has it already.
    """
    stripped = _strip_recency(question)
    rest = " ".join(stripped.split())
    if not (_nothing_left(stripped) if no_topic is None else no_topic):
        return rest
    from knowledge.language.detect import detect_language  # lazy: it loads the taxonomy

    return f"{rest} {TALKS[detect_language(question)]}"


def names_no_topic(question: str) -> bool:
    """True when ``question`` is only recency and question words: "what's new?", "що
    нового?", "последние новости": the newest sources are its answer, whatever they say."""
    return _nothing_left(_strip_recency(question))


def _strip_recency(question: str) -> str:
    """``question`` with its recency words and "news" blanked out."""
    return _NEWS.sub(" ", _RECENCY.sub(" ", question))


def _nothing_left(stripped: str) -> bool:
    """True when ``stripped`` (see :func:`_strip_recency`) holds only question words."""
    return not _WORD.search(_NO_TOPIC.sub(" ", stripped))


def _date(published: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published) if published else None
    except ValueError:
        return None


def recency_weight(published: str | None, newest_date: dt.date) -> float:
    """FLOOR..1: 1 for the newest date, halving towards FLOOR every HALF_LIFE_DAYS older."""
    day = _date(published)
    if day is None:
        return FLOOR
    age = max((newest_date - day).days, 0)
    return FLOOR + (1 - FLOOR) * 0.5 ** (age / HALF_LIFE_DAYS)


def favour_recent(
    hits: Sequence[Hit], published: Callable[[int], str | None], by_date: bool = False
) -> list[Hit]:
    """``hits`` re-scored by their source's date (``published(row)``) and re-sorted; with
    ``by_date`` (a question that names no topic), newest source first, undated last.

    The newest date among the hits is the reference, so the answer does not depend on
    today's date; with no dated hit the order is unchanged.
    """
    dates = [d for d in (_date(published(h.row)) for h in hits) if d is not None]
    if not dates:
        return list(hits)
    if by_date:
        day = {h.row: _date(published(h.row)) or dt.date.min for h in hits}
        return sorted(hits, key=lambda h: (day[h.row], h.score), reverse=True)
    top = max(dates)
    scored = [Hit(h.row, h.score * recency_weight(published(h.row), top)) for h in hits]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order]


def oldest_first(items: Sequence[T], year: Callable[[T], int | None]) -> list[T]:
    """``items`` by ``year`` where known, oldest first; an undated item stays right after
    the dated item it follows (e.g. talk rounds, ordered for /outcomes)."""
    keys, last = [], -1
    for item in items:
        found = year(item)
        last = found if found is not None else last
        keys.append(last)
    return [items[i] for i in sorted(range(len(items)), key=lambda i: (keys[i], i))]


def newest(dates: Iterable[str | None]) -> str | None:
    """The newest valid YYYY-MM-DD among ``dates``, if any."""
    valid = [d for d in dates if _date(d) is not None]
    return max(valid) if valid else None


_AS_OF = {
    "en": "As of {date} (the newest source shown).",
    "uk": "Станом на {date} (найновіше з показаних джерел).",
    "ru": "По состоянию на {date} (самый новый из показанных источников).",
}


def as_of_note(as_of: str | None, language: str = "en") -> str | None:
    """The line a "latest" answer starts with, in the question's language; None without a date."""
    return _AS_OF.get(language, _AS_OF["en"]).format(date=as_of) if as_of else None

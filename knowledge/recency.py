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
    r"новые|новое|новых"
    r")\b",
    re.IGNORECASE,
)


def asks_for_latest(question: str) -> bool:
    """True when ``question`` asks for the latest state ("latest", "останні", "последние"...)."""
    return bool(_RECENCY.search(question))


def without_recency(question: str) -> str:
    """``question`` without its recency words, so they are not searched for as topics."""
    return " ".join(_RECENCY.sub(" ", question).split())


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


def favour_recent(hits: Sequence[Hit], published: Callable[[int], str | None]) -> list[Hit]:
    """``hits`` re-scored by their source's date (``published(row)``) and re-sorted.

    The newest date among the hits is the reference, so the answer does not depend on
    today's date; with no dated hit the order is unchanged.
    """
    dates = [d for d in (_date(published(h.row)) for h in hits) if d is not None]
    if not dates:
        return list(hits)
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

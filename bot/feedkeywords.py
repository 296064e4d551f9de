"""Which feed entries are about the talks: the keywords an entry must name, and the match."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from knowledge.language.tokenize import tokenize

__all__ = ["Keyword", "default_keywords", "mentions"]

Keyword = str | tuple[str, ...]  # as written, or a phrase of search tokens (a taxonomy alias)


def default_keywords(taxonomy: object | None) -> tuple[Keyword, ...]:
    """Every name the taxonomy knows, in English, Ukrainian and Russian: its entries' names,
    places and aliases ("Kyiv", "Kremlin", "Putin", "Київ"): an entry must name one."""
    words: list[Keyword] = []
    for entry in getattr(taxonomy, "entries", ()):
        words += [entry.name, *(entry.names.values()), *([entry.place] if entry.place else [])]
        words += [*entry.aliases, *(p for found in entry.foreign.values() for p, _ in found)]
    return tuple(dict.fromkeys(w for w in words if w))


def mentions(keywords: Iterable[Keyword], text: str) -> bool:
    """True when ``text`` names one of ``keywords``, in any inflection the search stems away.

    A keyword matches its words' search tokens in a row ("России" names "Россия", "Russia's"
    names "Russia"; "если" does not name "ЕС"). A keyword made only of stopwords ("US") must
    stand as a word, written as given.
    """
    tokens = f" {' '.join(tokenize(text))} "
    for keyword in keywords:
        phrase = f" {' '.join(keyword)} " if isinstance(keyword, tuple) else _phrase(keyword)
        if phrase.strip() and phrase in tokens:
            return True
        alone = rf"(?<!\w){re.escape(keyword)}(?!\w)" if isinstance(keyword, str) else ""
        if not phrase and alone and re.search(alone, text):
            return True
    return False


@lru_cache(maxsize=4096)
def _phrase(keyword: str) -> str:
    tokens = tokenize(keyword)
    return f" {' '.join(tokens)} " if tokens else ""

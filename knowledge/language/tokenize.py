"""Text to search tokens: Unicode-aware words, lowercase, stopwords dropped, stemmed.

Each word goes through the one stemmer of its language (``knowledge.language.stem``):
Latin-script words the English one; Cyrillic words the Ukrainian or Russian one, as the
caller's ``language`` says or, without one, as the word's letters show.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import NamedTuple

from knowledge.language.stem import STOPWORDS, is_cyrillic, stem

__all__ = [
    "STOPWORDS",
    "Word",
    "cyrillic_words",
    "is_cyrillic",
    "normalize",
    "stem",
    "tokenize",
    "words",
]

# Words, with inner apostrophes kept for now: "Russia's", "перемир'я", "don't".
_WORD = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:['’ʼ`][\u0400-\u04ff]+)*")


class Word(NamedTuple):
    """One word of a text: its search token (``""`` for a stopword) and where it stands."""

    token: str
    start: int
    end: int


def normalize(text: str) -> str:
    """NFKC-fold and lowercase ``text``; offsets of letters are kept for most scripts."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str, language: str = "") -> list[Word]:
    """Every word of ``text`` with its token and its [start, end) offsets in ``text``."""
    out: list[Word] = []
    for match in _WORD.finditer(text):
        out.append(Word(stem(normalize(match.group()), language), match.start(), match.end()))
    return out


def tokenize(text: str, language: str = "", stopwords: Collection[str] = ()) -> list[str]:
    """The search tokens of ``text``, in order, stopwords dropped.

    ``language`` (``uk`` or ``ru``) says how Cyrillic words are stemmed; ``stopwords`` are
    further words (lowercased, as written) to drop.
    """
    found = _WORD.findall(normalize(text))
    return [t for t in (stem(w, language) for w in found if w not in stopwords) if t]


def cyrillic_words(text: str) -> list[str]:
    """The lowercased Cyrillic words of ``text`` in order (inner apostrophes kept)."""
    return _CYRILLIC_WORD.findall(normalize(text))

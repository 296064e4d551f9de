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
    "INVISIBLE",
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
# Characters that show nothing yet split a word: zero-width space, non-joiner and joiner,
# soft hyphen, word joiner, BOM. `normalize` drops them; `words` reads across them.
INVISIBLE = "\u200b\u200c\u200d\u00ad\u2060\ufeff"
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
_LETTERS = rf"[^\W_](?:[{INVISIBLE}]*[^\W_])*"
_WORD_ACROSS_INVISIBLE = re.compile(rf"{_LETTERS}(?:['’ʼ`]{_LETTERS})*")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:['’ʼ`][\u0400-\u04ff]+)*")
# "US" and "U.S." in capitals are the United States, read as "USA"; only "us" is the pronoun,
# and a text in capitals throughout ("TELL US MORE") keeps it one. After "the" it is the
# country however it is typed ("is the us a mediator"; `words`, `tokenize`): the pronoun
# never follows "the".
_DOTTED_US = re.compile(r"(?<![^\W_])U\.S(?:\.A)?\.?(?![^\W_])")
_CAPITAL_US = re.compile(r"(?<![^\W_])US(?![^\W_])")
UNITED_STATES = "usa"  # the token of "US", "U.S." and "USA"


class Word(NamedTuple):
    """One word of a text: its search token (``""`` for a stopword) and where it stands."""

    token: str
    start: int
    end: int


def normalize(text: str) -> str:
    """Drop invisible characters, NFKC-fold and lowercase ``text`` (for passages and questions).

    Offsets of letters are kept for most scripts when ``text`` has no invisible character.
    """
    return unicodedata.normalize("NFKC", text.translate(_DROP_INVISIBLE)).casefold()


def _capitals_read(text: str) -> tuple[str, bool]:
    """``text`` with "U.S." spelt "USA." (the same length), and whether its capital "US" is
    the United States (``text`` is not in capitals throughout)."""
    if "U.S" in text:
        text = _DOTTED_US.sub(lambda m: "USA" + "." * (len(m.group()) - 3), text)
    return text, "US" in text and text.upper() != text


def words(text: str, language: str = "") -> list[Word]:
    """Every word of ``text`` with its token and its [start, end) offsets in ``text``."""
    read, capital_us = _capitals_read(text)
    out: list[Word] = []
    before = ""
    for match in _WORD_ACROSS_INVISIBLE.finditer(read):
        surface = match.group()
        word = normalize(surface)
        country = (capital_us and surface == "US") or (word == "us" and before == "the")
        token = UNITED_STATES if country else stem(word, language)
        out.append(Word(token, match.start(), match.end()))
        before = word
    return out


def tokenize(text: str, language: str = "", stopwords: Collection[str] = ()) -> list[str]:
    """The search tokens of ``text``, in order, stopwords dropped.

    ``language`` (``uk`` or ``ru``) says how Cyrillic words are stemmed; ``stopwords`` are
    further words (lowercased, as written) to drop.
    """
    read, capital_us = _capitals_read(text)
    if capital_us:
        read = _CAPITAL_US.sub(UNITED_STATES, read)
    found = _WORD.findall(normalize(read))
    if "us" in found:  # after "the", the country
        found = [_after_the(found, i) for i in range(len(found))]
    return [t for t in (stem(w, language) for w in found if w not in stopwords) if t]


def _after_the(found: list[str], i: int) -> str:
    """``found[i]``, or the United States for an "us" after "the"."""
    return UNITED_STATES if found[i] == "us" and i and found[i - 1] == "the" else found[i]


def cyrillic_words(text: str) -> list[str]:
    """The lowercased Cyrillic words of ``text`` in order (inner apostrophes kept)."""
    return _CYRILLIC_WORD.findall(normalize(text))

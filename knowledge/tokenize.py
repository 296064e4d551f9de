"""Text to search tokens: Unicode-aware words, lowercase, English stopwords, Snowball stems.

Latin-script words are stemmed with the English Snowball stemmer, Cyrillic words with the
Russian one (after a light Ukrainian normalisation), so a Cyrillic query never crashes and
meets the Cyrillic aliases of the taxonomy on equal terms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import Stemmer

__all__ = [
    "INVISIBLE",
    "STOPWORDS",
    "Word",
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
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_APOSTROPHES = re.compile(r"['’ʼ`]")

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren arent as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn
    doing don dont down during each few for from further had hadn has hasn have haven having
    he her here hers herself him himself his how i if in into is isn it its itself just let
    ll me more most mustn my myself no nor not now of off on once only or other ought our
    ours ourselves out over own re same shan she should shouldn so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up ve very was wasn we were weren what when where which while who whom why will with won
    would wouldn you your yours yourself yourselves also s t d m o y ain ma shall may might
    must us etc via per
    """.split()  # noqa: SIM905 - a word list reads best as text
)

_english = Stemmer.Stemmer("english")
_russian = Stemmer.Stemmer("russian")


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


def is_cyrillic(word: str) -> bool:
    """True when ``word`` contains Cyrillic letters."""
    return _CYRILLIC.search(word) is not None


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The search token of one lowercased word; ``""`` when it is a stopword or noise."""
    if is_cyrillic(word):
        word = _APOSTROPHES.sub("", word).replace("ґ", "г")
        return _russian.stemWord(word) if len(word) > 1 else ""
    head = _APOSTROPHES.split(word)
    # "russia's" -> "russia"; "don't" -> "dont" (a stopword).
    word = head[0] if len(head) == 2 and head[1] == "s" else "".join(head)
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    return _english.stemWord(word)


def words(text: str) -> list[Word]:
    """Every word of ``text`` with its token and its [start, end) offsets in ``text``."""
    out: list[Word] = []
    for match in _WORD_ACROSS_INVISIBLE.finditer(text):
        out.append(Word(stem(normalize(match.group())), match.start(), match.end()))
    return out


def tokenize(text: str) -> list[str]:
    """The search tokens of ``text``, in order, stopwords dropped."""
    return [t for t in (stem(w) for w in _WORD.findall(normalize(text))) if t]

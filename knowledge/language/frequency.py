"""How informative a word is in everyday language: wordfreq's Zipf frequency, turned around.

Ranking scales each question word's weight by this (`Query.ranking_weight`): in a small
corpus "people" can be as rare as "hryvnia", yet it says little about what is asked. The
small word lists (about 30k words per language) load in tens of milliseconds; a word
missing from them is rare, so it weighs the most.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

__all__ = ["MAX_INFORMATION", "information", "load_word_lists"]

MAX_INFORMATION = 7.5  # a word no list has; "the" (Zipf 7.7) weighs the floor
MIN_INFORMATION = 0.5  # the commonest words still count a little
LISTS = frozenset({"en", "uk", "ru"})


@lru_cache(maxsize=65536)
def information(word: str, language: str = "en") -> float:
    """``MAX_INFORMATION`` minus the Zipf frequency of ``word`` (lower case) in ``language``.

    A word in Latin letters is looked up in English, whatever the question's language.
    """
    from wordfreq import zipf_frequency  # imported on first use: 0.2 s at start otherwise

    lang = "en" if word.isascii() or language not in LISTS else language
    zipf = zipf_frequency(word.lower(), lang, wordlist="small")
    return max(MIN_INFORMATION, MAX_INFORMATION - zipf)


def load_word_lists(languages: Iterable[str] = LISTS) -> None:
    """Load the word lists now, so the first question is not the one that waits for them."""
    for language in sorted(languages):
        information("the", language)

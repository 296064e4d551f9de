"""Which language a question is in: English, Ukrainian or Russian (the one detector).

Letters only one language uses decide first, then function words only one uses; Cyrillic
text with neither goes to the language with more words the taxonomy knows.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.language.stem import UK_LETTERS, is_cyrillic, stem_cyrillic
from knowledge.language.tokenize import cyrillic_words, normalize, words
from knowledge.taxonomy.loader import load_taxonomy
from knowledge.taxonomy.model import Taxonomy

__all__ = ["LANGUAGES", "detect_language", "shipped_taxonomy", "telltale_language"]

LANGUAGES = ("en", "uk", "ru")
_RU_LETTERS = frozenset("ыэъё")
# Function words that only one of the two languages uses; they decide when letters do not.
_UK_WORDS = frozenset(
    [
        "що",
        "як",
        "хто",
        "де",
        "коли",
        "чи",
        "які",
        "який",
        "яка",
        "яку",
        "яке",
        "це",
        "між",
        "після",
        "від",
        "чому",
        "скільки",
    ]
)
_RU_WORDS = frozenset(
    [
        "что",
        "как",
        "кто",
        "где",
        "когда",
        "ли",
        "какие",
        "какой",
        "какая",
        "какую",
        "это",
        "между",
        "после",
        "от",
        "почему",
    ]
)


@lru_cache(maxsize=1)
def shipped_taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once: the glossary when no other taxonomy is given."""
    return load_taxonomy()


def detect_language(text: str, taxonomy: Taxonomy | None = None) -> str:
    """``"en"``, ``"uk"`` or ``"ru"``; undecided Cyrillic goes to the one with more known words.

    Words listed in one language's glossary count first, then words known by their stem.
    """
    found = telltale_language(text)
    if found is not None:
        return found
    taxonomy = taxonomy or shipped_taxonomy()
    surfaces = [w for w in surfaces_of(text) if is_cyrillic(w)]
    listed = taxonomy.glossary.surfaces
    votes = {
        lang: (
            sum(w in listed.get(lang, ()) for w in surfaces),
            sum((stem_cyrillic(w, lang),) in taxonomy.foreign_phrases(lang) for w in surfaces),
        )
        for lang in ("uk", "ru")
    }
    return "uk" if votes["uk"] > votes["ru"] else "ru"


def surfaces_of(text: str) -> list[str]:
    """The words of ``text`` as written, lowercased, ё read as е."""
    return [normalize(text[w.start : w.end]).replace("ё", "е") for w in words(text)]


def telltale_language(text: str) -> str | None:
    """``"en"``, or ``"uk"``/``"ru"`` by letters unique to one language, then by function words.

    Text with more Latin than Cyrillic letters is English; None when Cyrillic text has no sign
    of either language.
    """
    folded = normalize(text)
    cyrillic = sum(1 for c in folded if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in folded if "a" <= c <= "z")
    if cyrillic == 0 or latin > cyrillic:
        return "en"
    uk = sum(1 for c in folded if c in UK_LETTERS)
    ru = sum(1 for c in folded if c in _RU_LETTERS)
    if uk == ru:
        found = cyrillic_words(folded)
        uk = sum(1 for w in found if w in _UK_WORDS)
        ru = sum(1 for w in found if w in _RU_WORDS)
    if uk == ru:
        return None
    return "uk" if uk > ru else "ru"

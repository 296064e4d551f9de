"""Cyrillic words to comparable stems: a light Ukrainian normalisation, then Russian Snowball.

Ukrainian spelling is mapped onto the nearest Russian letters (и → ы, і/ї → и, є → е, ґ → г,
"ськ" → "ск", genitive plural "-ів" → "-ов") so that one Russian Snowball stemmer conflates the
usual inflections of both languages: Стамбул/Стамбулі/Стамбуле, переговори/переговорах.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

import Stemmer

from knowledge.language.tokenize import is_cyrillic, normalize, words

__all__ = [
    "LANGUAGES",
    "cyrillic_words",
    "detect_language",
    "mixed_tokens",
    "stem_cyrillic",
    "telltale_language",
    "ukrainian_to_russian",
]

LANGUAGES = ("en", "uk", "ru")
_APOSTROPHES = re.compile(r"['’ʼ`]")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:['’ʼ`][\u0400-\u04ff]+)*")
_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъё")
_UK_TABLE = str.maketrans({"и": "ы", "і": "и", "ї": "и", "є": "е", "ґ": "г"})
_UK_CLUSTERS = (("ськ", "ск"), ("цьк", "цк"), ("ться", "тся"), ("ьо", "ё"))
_VOWELS = frozenset("аеєиіїоуюя")
_VELAR_Y = re.compile(r"([кгхжшчщ])ы")
# Endings respelled as their Russian counterparts, tried in order (letters already mapped).
_UK_ENDINGS = (
    ("ымы", "ыми"),  # instrumental plural: полоненими, посередниками
    ("амы", "ами"),
    ("ямы", "ями"),
    ("исть", "ость"),  # відповідальність -> ответственность-like
    ("истю", "остью"),
    ("ив", "ов"),  # genitive plural: переговорів
    ("ють", "ют"),  # 3rd person plural: вимагають
    ("ать", "ат"),
    ("ты", "ть"),  # infinitive: вимагати
)
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

_russian = Stemmer.Stemmer("russian")


def ukrainian_to_russian(word: str) -> str:
    """Respell a lowercased Ukrainian word with the nearest Russian letters and endings."""
    verb_3sg = len(word) > 3 and word[-1] == "є" and word[-2] in _VOWELS
    word = _APOSTROPHES.sub("", word).translate(_UK_TABLE)
    for uk, ru in _UK_CLUSTERS:
        word = word.replace(uk, ru)
    word = _VELAR_Y.sub(r"\1и", word)  # Russian spells ки/ги/хи: посередники
    for uk, ru in _UK_ENDINGS:
        if len(word) > len(uk) + 2 and word.endswith(uk):
            word = word[: -len(uk)] + ru
            break
    return word + "т" if verb_3sg else word  # вимагає -> вымагает


@lru_cache(maxsize=50_000)
def stem_cyrillic(word: str, language: str = "ru") -> str:
    """The Russian Snowball stem of one Cyrillic word, normalised first when it is Ukrainian."""
    word = normalize(word)
    word = ukrainian_to_russian(word) if language == "uk" else _APOSTROPHES.sub("", word)
    word = word.replace("ё", "е")
    return _russian.stemWord(word) if len(word) > 1 else ""


def cyrillic_words(text: str) -> list[str]:
    """The lowercased Cyrillic words of ``text`` in order (inner apostrophes kept)."""
    return _CYRILLIC_WORD.findall(normalize(text))


def detect_language(text: str) -> str:
    """``"uk"``, ``"ru"`` or ``"en"``; Cyrillic text with no telltale letter or word is Russian."""
    return telltale_language(text) or "ru"


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
    uk = sum(1 for c in folded if c in _UK_LETTERS)
    ru = sum(1 for c in folded if c in _RU_LETTERS)
    if uk == ru:
        found = cyrillic_words(folded)
        uk = sum(1 for w in found if w in _UK_WORDS)
        ru = sum(1 for w in found if w in _RU_WORDS)
    if uk == ru:
        return None
    return "uk" if uk > ru else "ru"


def mixed_tokens(text: str, language: str, stopwords: Collection[str] = ()) -> list[str]:
    """Search tokens of ``text``: Cyrillic words stemmed for ``language``, others as in English.

    A Cyrillic word in ``stopwords`` (lowercased, as written) is dropped.
    """
    out: list[str] = []
    for word in words(text):
        surface = normalize(text[word.start : word.end])
        if is_cyrillic(surface):
            token = "" if surface in stopwords else stem_cyrillic(surface, language)
        else:
            token = word.token
        if token:
            out.append(token)
    return out

"""One stemmer per language: English Snowball; Ukrainian respelt, then Russian Snowball.

Ukrainian spelling is mapped onto the nearest Russian letters (и → ы, і/ї → и, є → е, ґ → г,
"ськ" → "ск", genitive plural "-ів" → "-ов") so that one Russian Snowball stemmer conflates the
usual inflections of both languages: Стамбул/Стамбулі/Стамбуле, переговори/переговорах. A
Cyrillic word of no stated language is Ukrainian when it has a letter only Ukrainian uses
or an apostrophe (where Russian writes ъ), else Russian.

Lemmatizing instead (pymorphy3 or simplemma, then stemming the lemma; tools/lemmatizer_check.py)
makes 31-33 glossary words of different meanings collide (статья -> стать, "become"); as a
fallback for words the glossary misses, it found 2 of 32 on the uk/ru questions of the first
question set, gained no hit and answered one more out-of-scope question (either). The
respelling stays.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

__all__ = [
    "STOPWORDS",
    "UK_LETTERS",
    "is_cyrillic",
    "stem",
    "stem_cyrillic",
    "stem_english",
    "ukrainian_to_russian",
    "without_possessive",
]

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_APOSTROPHES = re.compile(r"['’ʼ`]")
UK_LETTERS = frozenset("іїєґ")  # letters only Ukrainian uses
_UK_TABLE = str.maketrans({"и": "ы", "і": "и", "ї": "и", "є": "е", "ґ": "г"})
_UK_CLUSTERS = (("ськ", "ск"), ("цьк", "цк"), ("ться", "тся"), ("ьо", "ё"))
_VOWELS = frozenset("аеєиіїоуюя")
_VELAR_Y = re.compile(r"([кгхжшчщ])ы")
# Endings respelled as their Russian counterparts, tried in order (letters already mapped).
_UK_ENDINGS = (
    ("ымы", "ыми"),  # instrumental plural: полоненими, посередниками
    ("имы", "ими"),  # the same after к/г/х: мінськими, українськими
    ("амы", "ами"),
    ("ямы", "ями"),
    ("исть", "ость"),  # відповідальність -> ответственность-like
    ("истю", "остью"),
    ("ив", "ов"),  # genitive plural: переговорів
    ("ои", "ой"),  # feminine genitive/dative: української, першої
    ("ють", "ют"),  # 3rd person plural: вимагають
    ("ать", "ат"),
    ("ты", "ть"),  # infinitive: вимагати
)
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
    aint cant couldnt didnt doesnt hadnt hasnt havent hows im isnt ive mustnt shouldnt thats
    theres theyre theyve wasnt werent weve whats whens wheres whos whys wont wouldnt youre youve
    """.split()  # noqa: SIM905 - a word list reads best as text; the last two lines are
    # contractions typed without the apostrophe ("whats the outlook", "why wont they"): as
    # search words the sources never say them, so they counted as unknown
)

_CONTRACTIONS = frozenset({"t", "ve", "re", "ll", "d", "m", "s"})  # n't 've 're 'll 'd 'm 's
# Russian words whose Snowball stem is another word's: "следующий" (next) loses its participle
# ending and becomes "след", the stem of "следить" (watch). Each keeps this prefix as its stem.
_RUSSIAN_KEPT = ("следующ",)

_english = Stemmer.Stemmer("english")
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


def is_cyrillic(word: str) -> bool:
    """True when ``word`` contains Cyrillic letters."""
    return _CYRILLIC.search(word) is not None


@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "") -> str:
    """The search token of one lowercased word; ``""`` when it is a stopword or noise.

    A Cyrillic word is stemmed as ``language`` (``uk`` or ``ru``) says, else as the
    language its letters show; any other word as English.
    """
    if not is_cyrillic(word):
        return stem_english(word)
    if language not in ("uk", "ru"):
        ukrainian = UK_LETTERS.intersection(word) or _APOSTROPHES.search(word)  # ru: ъ
        language = "uk" if ukrainian else "ru"
    return stem_cyrillic(word, language)


def without_possessive(word: str) -> str:
    """A lowercased English word without its possessive ending: "russia's" -> "russia"."""
    head = _APOSTROPHES.split(word)
    return head[0] if len(head) == 2 and head[1] == "s" else word


def stem_english(word: str) -> str:
    """The English Snowball stem of a lowercased word; ``""`` for a stopword or a lone letter."""
    head = _APOSTROPHES.split(word)
    # "russia's" -> "russia"; "can't", "I've", "they're" -> "" (a stopword before the
    # contraction); "o'clock" -> "oclock".
    if len(head) == 2 and head[1] in _CONTRACTIONS and head[0] in STOPWORDS:
        return ""
    word = "".join(_APOSTROPHES.split(without_possessive(word)))
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    return _english.stemWord(word)


@lru_cache(maxsize=50_000)
def stem_cyrillic(word: str, language: str = "ru") -> str:
    """The Russian Snowball stem of one Cyrillic word, normalised first when it is Ukrainian."""
    word = word.casefold()
    word = ukrainian_to_russian(word) if language == "uk" else _APOSTROPHES.sub("", word)
    word = word.replace("ё", "е")
    kept = next((prefix for prefix in _RUSSIAN_KEPT if word.startswith(prefix)), None)
    if kept is not None:
        return kept
    return _russian.stemWord(word) if len(word) > 1 else ""

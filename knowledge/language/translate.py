"""Questions in Ukrainian and Russian → English search tokens, through the glossary and aliases.

Cyrillic words are normalised (Ukrainian) and stemmed (Russian Snowball), then the longest
known phrase is looked up in the taxonomy's glossary and uk/ru aliases and replaced by the
English words it means. Function words are dropped; an unknown word is kept as its Cyrillic
stem, so that, as for an English question, words the sources never use count against it.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.language.cyrillic import stem_cyrillic, telltale_language
from knowledge.language.spelling import Speller
from knowledge.language.tokenize import is_cyrillic, normalize, tokenize, words
from knowledge.taxonomy import Taxonomy, load_taxonomy

__all__ = ["detect_language", "no_english_note", "query_tokens"]

MAX_PHRASE = 4  # longest glossary or alias phrase looked up, in words
_OTHER = {"uk": "ru", "ru": "uk"}
_NOTES = {
    "uk": "Джерела англійською мовою, тож цитати наведено англійською.",
    "ru": "Источники на английском языке, поэтому цитаты приведены по-английски.",
}


@lru_cache(maxsize=1)
def _shipped() -> Taxonomy:
    return load_taxonomy()


def no_english_note(language: str) -> str:
    """A one-line note, in the user's language, that the sources are in English ("" for en)."""
    return _NOTES.get(language, "")


def detect_language(question: str, taxonomy: Taxonomy | None = None) -> str:
    """``"en"``, ``"uk"`` or ``"ru"``; undecided Cyrillic goes to the one with more known words.

    Words listed in one language's glossary count first, then words known by their stem.
    """
    found = telltale_language(question)
    if found is not None:
        return found
    taxonomy = taxonomy or _shipped()
    surfaces = [w for w in _surfaces(question) if is_cyrillic(w)]
    listed = taxonomy.glossary.surfaces
    votes = {
        lang: (
            sum(w in listed.get(lang, ()) for w in surfaces),
            sum((stem_cyrillic(w, lang),) in taxonomy.foreign_phrases(lang) for w in surfaces),
        )
        for lang in ("uk", "ru")
    }
    return "uk" if votes["uk"] > votes["ru"] else "ru"


def _surfaces(question: str) -> list[str]:
    return [normalize(question[w.start : w.end]).replace("ё", "е") for w in words(question)]


def query_tokens(question: str, taxonomy: Taxonomy | None = None) -> tuple[list[str], str]:
    """The English search tokens of ``question`` and its language (``en``, ``uk`` or ``ru``)."""
    taxonomy = taxonomy or _shipped()
    language = detect_language(question, taxonomy)
    if language == "en":
        return tokenize(question), language
    stop = taxonomy.glossary.stopwords.get(language, frozenset())
    surfaces = [w for w in _surfaces(question) if w not in stop]
    tokens: list[str] = []
    i = 0
    while i < len(surfaces):
        used, english = _lookup(surfaces, i, language, taxonomy)
        if english is not None:
            tokens += tokenize(english)
        elif is_cyrillic(surfaces[i]):
            tokens += _misspelt(surfaces[i], language, taxonomy)
        else:
            tokens += tokenize(surfaces[i])
        i += used
    return [t for t in tokens if t], language


def _lookup(
    surfaces: list[str], i: int, language: str, taxonomy: Taxonomy
) -> tuple[int, str | None]:
    """(words used, English) for the longest known phrase at ``i``; (1, None) when unknown."""
    for lang in (language, _OTHER[language]):
        table = taxonomy.foreign_phrases(lang)
        for size in range(min(MAX_PHRASE, len(surfaces) - i), 0, -1):
            phrase = tuple(_stem(w, lang) for w in surfaces[i : i + size])
            if phrase in table:
                return size, table[phrase]
    return 1, None


@lru_cache(maxsize=8)
def _speller(taxonomy: Taxonomy, language: str) -> Speller:
    """Corrects a Cyrillic stem to the nearest one-word stem the glossary or aliases know."""
    return Speller(p[0] for p in taxonomy.foreign_phrases(language) if len(p) == 1)


def _misspelt(surface: str, language: str, taxonomy: Taxonomy) -> list[str]:
    """English tokens of a mistyped known word, else the word's own Cyrillic stem."""
    stem = stem_cyrillic(surface, language)
    fixed = _speller(taxonomy, language).correct(stem, lambda _: 0)
    english = taxonomy.foreign_phrases(language).get((fixed,)) if fixed else None
    return tokenize(english) if english is not None else [stem]


def _stem(surface: str, language: str) -> str:
    if is_cyrillic(surface):
        return stem_cyrillic(surface, language)
    tokens = tokenize(surface)
    return tokens[0] if tokens else ""

"""Questions in Ukrainian and Russian → English search tokens, through the glossary and aliases.

Cyrillic words are normalised (Ukrainian) and stemmed (Russian Snowball), then the longest
known phrase is looked up in the taxonomy's glossary and uk/ru aliases and replaced by the
English words it means. Function words are dropped; an unknown word is kept as its Cyrillic
stem, so that, as for an English question, words the sources never use count against it.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.language.detect import detect_language, shipped_taxonomy, surfaces_of
from knowledge.language.spelling import Speller
from knowledge.language.stem import is_cyrillic, stem_cyrillic
from knowledge.language.tokenize import tokenize
from knowledge.taxonomy.model import Taxonomy

__all__ = ["english_words", "no_english_note", "query_tokens"]

MAX_PHRASE = 4  # longest glossary or alias phrase looked up, in words
_OTHER = {"uk": "ru", "ru": "uk"}
_NOTES = {
    "uk": "Джерела англійською мовою, тож цитати наведено англійською.",
    "ru": "Источники на английском языке, поэтому цитаты приведены по-английски.",
}


def no_english_note(language: str) -> str:
    """A one-line note, in the user's language, that the sources are in English ("" for en)."""
    return _NOTES.get(language, "")


def query_tokens(question: str, taxonomy: Taxonomy | None = None) -> tuple[list[str], str]:
    """The English search tokens of ``question`` and its language (``en``, ``uk`` or ``ru``)."""
    taxonomy = taxonomy or shipped_taxonomy()
    language = detect_language(question, taxonomy)
    if language == "en":
        return tokenize(question), language
    tokens: list[str] = []
    for english, surface in _renderings(question, language, taxonomy):
        if english is not None:
            tokens += tokenize(english)
        elif is_cyrillic(surface):
            tokens.append(stem_cyrillic(surface, language))
        else:
            tokens += tokenize(surface)
    return [t for t in tokens if t], language


def english_words(question: str, taxonomy: Taxonomy | None = None) -> str:
    """``question`` in the English words the glossary gives, unknown Cyrillic words left out.

    ``"Яка позиція НАТО щодо цієї війни"`` gives ``"position NATO war"``; an English
    question is returned as it is.
    """
    taxonomy = taxonomy or shipped_taxonomy()
    language = detect_language(question, taxonomy)
    if language == "en":
        return question
    parts = _renderings(question, language, taxonomy)
    return " ".join(e if e is not None else s for e, s in parts if e or not is_cyrillic(s))


def _renderings(question: str, language: str, taxonomy: Taxonomy) -> list[tuple[str | None, str]]:
    """(English, surface) for each known phrase or word of ``question``; None when unknown."""
    stop = taxonomy.glossary.stopwords.get(language, frozenset())
    surfaces = [w for w in surfaces_of(question) if w not in stop]
    parts: list[tuple[str | None, str]] = []
    i = 0
    while i < len(surfaces):
        used, english = _lookup(surfaces, i, language, taxonomy)
        if english is None and is_cyrillic(surfaces[i]):
            english = _misspelt(surfaces[i], language, taxonomy)
        parts.append((english, " ".join(surfaces[i : i + used])))
        i += used
    return parts


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


def _misspelt(surface: str, language: str, taxonomy: Taxonomy) -> str | None:
    """The English of a mistyped known word, or None."""
    fixed = _speller(taxonomy, language).correct(stem_cyrillic(surface, language), lambda _: 0)
    return taxonomy.foreign_phrases(language).get((fixed,)) if fixed else None


def _stem(surface: str, language: str) -> str:
    if is_cyrillic(surface):
        return stem_cyrillic(surface, language)
    tokens = tokenize(surface)
    return tokens[0] if tokens else ""

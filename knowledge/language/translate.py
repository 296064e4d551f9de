"""Questions in Ukrainian and Russian → English search tokens, through the glossary and aliases.

Cyrillic words are normalised (Ukrainian) and stemmed (Russian Snowball), then the longest
known phrase is looked up in the taxonomy's glossary and uk/ru aliases and replaced by the
English words it means. Function words are dropped; an unknown word is kept as its Cyrillic
stem, so that, as for an English question, words the sources never use count against it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from knowledge.language.detect import (
    detect_language,
    shipped_taxonomy,
    surfaces_of,
    telltale_language,
)
from knowledge.language.spelling import Speller, inflected, is_real_word
from knowledge.language.stem import is_cyrillic, stem_cyrillic
from knowledge.language.tokenize import tokenize
from knowledge.taxonomy.model import Taxonomy

__all__ = ["Translation", "english_tokens", "no_english_note", "query_tokens", "translate"]

MAX_PHRASE = 4  # longest glossary or alias phrase looked up, in words
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_OTHER = {"uk": "ru", "ru": "uk"}
_NOTES = {
    "uk": "Джерела англійською мовою, тож цитати наведено англійською.",
    "ru": "Источники на английском языке, поэтому цитаты приведены по-английски.",
}
_SOME = {
    "uk": "Деякі джерела англійською мовою, тож і їхні цитати англійською.",
    "ru": "Некоторые источники на английском языке, поэтому и их цитаты по-английски.",
}


def no_english_note(language: str, quotes: Sequence[str]) -> str:
    """A one-line note, in the user's language, that the ``quotes`` shown are in English.

    "" for an English reader, or when no quote is English (a source in the reader's language).
    """
    if language not in _NOTES:
        return ""
    english = sum(1 for quote in quotes if detect_language(quote) == "en")
    if not english:
        return ""
    return _NOTES[language] if english == len(quotes) else _SOME[language]


@dataclass(frozen=True, slots=True)
class Translation:
    """A question as the English sources are searched for it."""

    tokens: tuple[str, ...]  # English search tokens; an unknown Cyrillic word stays its stem
    language: str  # en, uk or ru
    english: str  # the English words the glossary gives, unknown words left out (en: as asked)
    # token -> the words it renders, as a source in the question's language is indexed
    written: tuple[tuple[str, tuple[str, ...]], ...] = ()


def translate(
    question: str, taxonomy: Taxonomy | None = None, language: str | None = None
) -> Translation:
    """``question`` in English search tokens and words, through the glossary and aliases.

    ``"Яка позиція НАТО щодо цієї війни"`` gives the words ``"position NATO war"``.
    ``language`` is detected when not given.
    """
    taxonomy = taxonomy or shipped_taxonomy()
    language = language or detect_language(question, taxonomy)
    if language == "en":
        return Translation(tuple(tokenize(question)), language, question)
    tokens: list[str] = []
    english_words: list[str] = []
    written: dict[str, tuple[str, ...]] = {}
    for english, surface in _renderings(question, language, taxonomy):
        if english is not None:
            rendered = tokenize(english)
        elif is_cyrillic(surface):
            rendered = [stem_cyrillic(surface, language)]
        else:
            rendered = tokenize(surface)
        tokens += rendered
        for token, own in _written_as(rendered, surface).items():
            written[token] = tuple(dict.fromkeys((*written.get(token, ()), *own)))
        if english is not None or not is_cyrillic(surface):  # else left out of the English
            english_words.append(english or surface)
    tokens = [t for t in tokens if t]
    return Translation(tuple(tokens), language, " ".join(english_words), tuple(written.items()))


def _written_as(rendered: list[str], surface: str) -> dict[str, list[str]]:
    """Each of the ``rendered`` tokens of ``surface`` -> its Cyrillic words, as indexed.

    Word for word when both have as many; else the first token takes them all, so that a
    passage in the question's language counts each word of the question once.
    """
    own = [t for t in tokenize(surface) if is_cyrillic(t)]
    if not own or not rendered or not rendered[0]:
        return {}
    if len(own) == len(rendered):
        return {token: [word] for token, word in zip(rendered, own, strict=True) if token}
    return {rendered[0]: own}


def english_tokens(text: str, taxonomy: Taxonomy | None = None) -> list[str]:
    """The glossary's English tokens for a Ukrainian or Russian ``text`` ([] for English).

    A passage in Cyrillic is indexed by these too, so an English question meets it.
    """
    if not _CYRILLIC.search(text) or telltale_language(text) == "en":  # the search: fast
        return []
    return [t for t in translate(text, taxonomy).tokens if not is_cyrillic(t)]


def query_tokens(question: str, taxonomy: Taxonomy | None = None) -> tuple[list[str], str]:
    """The English search tokens of ``question`` and its language (``en``, ``uk`` or ``ru``)."""
    translated = translate(question, taxonomy)
    return list(translated.tokens), translated.language


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
    """The English of a mistyped known word, or None.

    An everyday word is corrected only where its ending differs from the known stem, an
    inflection the glossary lacks ("домовитися" -> "домовилися"); one letter off in its middle
    it is another word ("відновлять", resume -> "відмовлять", refuse; "заходят" -> "завод").
    Of the 85 corrections of everyday words in the tuning sets' uk/ru questions, 19 changed the
    middle, and 16 of those were wrong ("спротив" -> sport, "прецедент" -> president).
    """
    stem = stem_cyrillic(surface, language)
    fixed = _speller(taxonomy, language).correct(stem, lambda _: 0)
    if fixed and is_real_word(surface.lower(), language) and not inflected(stem, fixed):
        return None
    return taxonomy.foreign_phrases(language).get((fixed,)) if fixed else None


def _stem(surface: str, language: str) -> str:
    if is_cyrillic(surface):
        return stem_cyrillic(surface, language)
    tokens = tokenize(surface)
    return tokens[0] if tokens else ""

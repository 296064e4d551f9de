"""Reading a question: its language, English search terms, names, and what it asks for."""

from __future__ import annotations

from dataclasses import replace

from knowledge.features import RankingOptions
from knowledge.language.detect import detect_language
from knowledge.language.names import name_tokens
from knowledge.language.quantity import asked_quantity
from knowledge.language.tokenize import Word, tokenize, words
from knowledge.language.translate import translate
from knowledge.query import Query, QueryAnalyzer, clipped
from knowledge.taxonomy.model import Taxonomy

__all__ = ["read_question"]


def read_question(
    question: str, analyzer: QueryAnalyzer, taxonomy: Taxonomy | None, options: RankingOptions
) -> Query:
    """Tokenize ``question``, correct typos against the sources, expand and weigh terms.

    A question in Ukrainian or Russian is first put into English search tokens through the
    taxonomy's glossary and aliases. The query also carries the question's names, whether it
    asks for a count or a date, and the parties' positions it asks about (with ``stance``).
    """
    asked = clipped(question)
    language = detect_language(asked, taxonomy) if taxonomy else "en"
    query, text, language = _analyzed(asked, language, analyzer, taxonomy, options)
    query = replace(query, names=name_tokens(asked, language), quantity=asked_quantity(asked))
    if taxonomy is None or not options.stance:
        return query
    tags = taxonomy.tag(tokenize(text), text)
    positions = {t for t in tags if t.startswith("position:")}
    if not positions and language != "en":  # "вимагає Україна", "требования России"
        positions = taxonomy.positions(text, party_first=False)
    return replace(query, positions=frozenset(positions))


def _analyzed(
    text: str,
    language: str,
    analyzer: QueryAnalyzer,
    taxonomy: Taxonomy | None,
    options: RankingOptions,
) -> tuple[Query, str, str]:
    """The query of ``text`` in ``language``, its search text and its language (a uk/ru
    question the glossary cannot tell apart may change)."""
    if language == "en" or taxonomy is None:
        pairs = ((w, text[w.start : w.end]) for w in words(text))
        return analyzer.analyze(pairs, options=options), text, language
    translated = translate(text, taxonomy, language)
    tokens, language = translated.tokens, translated.language
    written = dict(translated.written)
    query = analyzer.analyze(((Word(t, 0, 0), t) for t in tokens), language, options, written)
    return replace(query, english=translated.english), " ".join(tokens), language

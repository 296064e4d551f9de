"""Reading a question: its language, English search terms, names, and what it asks for."""

from __future__ import annotations

from dataclasses import replace

from knowledge.features import RankingOptions
from knowledge.language.detect import detect_language
from knowledge.language.names import name_tokens
from knowledge.language.quantity import asked_quantity
from knowledge.language.tokenize import Word, tokenize, words
from knowledge.language.translate import translate
from knowledge.passages import sentence_spans
from knowledge.query import Query, QueryAnalyzer, clipped
from knowledge.taxonomy.model import Taxonomy

__all__ = ["CONTEXT_WEIGHT", "asking_part", "read_question"]


# A term only the sentences that tell, not ask, have weighs this share of its weight: "My
# grandmother in Kharkiv keeps asking me. What did they agree in Istanbul?" asks about
# Istanbul. Session 19, cross-fitted (hit@1 / hit@3 / out of scope refused / answerable
# refused): the pool 0.866 / 0.945 / 0.961 / 0.019 -> 0.867 / 0.947 / 0.964 / 0.017, the
# paraphrase pool 0.833 / 0.928 / 0.906 / 0.014 -> 0.835 / 0.929 / 0.912 / 0.013 (its long
# questions' hit@1 0.729 -> 0.748); 0.25 and 0.7 did no better.
CONTEXT_WEIGHT = 0.5


def read_question(
    question: str, analyzer: QueryAnalyzer, taxonomy: Taxonomy | None, options: RankingOptions
) -> Query:
    """Tokenize ``question``, correct typos against the sources, expand and weigh terms.

    A question in Ukrainian or Russian is first put into English search tokens through the
    taxonomy's glossary and aliases. The query also carries the question's names, whether it
    asks for a count or a date, and the parties' positions it asks about (with ``stance``).
    With ``context``, the terms of sentences that only tell weigh less (`asking_part`).
    """
    asked = clipped(question)
    language = detect_language(asked, taxonomy) if taxonomy else "en"
    query, text, language = _analyzed(asked, language, analyzer, taxonomy, options)
    part = asking_part(asked) if options.context else None
    if part is not None:
        core = set(_analyzed(part, language, analyzer, taxonomy, options)[0].terms)
        weights = {t: w if t in core else w * CONTEXT_WEIGHT for t, w in query.weights.items()}
        query = replace(query, weights=weights) if core else query
    query = replace(query, names=name_tokens(asked, language), quantity=asked_quantity(asked))
    if taxonomy is None or not options.stance:
        return query
    tags = taxonomy.tag(tokenize(text), text)
    positions = {t for t in tags if t.startswith("position:")}
    if not positions and language != "en":  # "вимагає Україна", "требования России"
        positions = taxonomy.positions(text, party_first=False)
    return replace(query, positions=frozenset(positions))


def asking_part(question: str) -> str | None:
    """The sentences of ``question`` that ask (hold a question mark), when others only tell;
    None when every sentence asks, or none does."""
    sentences = [question[start:end] for start, end in sentence_spans(question)]
    asking = [s for s in sentences if "?" in s]
    return " ".join(asking) if 0 < len(asking) < len(sentences) else None


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

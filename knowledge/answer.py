"""The `Knowledge` snapshot: load sources, index passages, answer questions with excerpts."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from knowledge.errors import KnowledgeError
from knowledge.excerpts import is_near_duplicate, make_excerpt
from knowledge.index import BM25Index
from knowledge.models import Answer, Excerpt, Hit, Passage, Problem, Source
from knowledge.passages import split_passages
from knowledge.sources import load_sources
from knowledge.spelling import Speller
from knowledge.tokenize import normalize, stem, tokenize, words

__all__ = ["Knowledge", "KnowledgeDiff", "check", "default_dirs", "load"]

_SURFACE_WORD = re.compile(r"[^\W\d_]{3,}")
MAX_QUERY_TERMS = 64  # distinct terms of a question that are searched
MAX_RESULTS = 30  # how deep "More" can page
MIN_COVERAGE = 0.45  # share of the question's weight the best passage must match
MIN_RELATIVE_SCORE = 0.2  # a lower hit is shown only if it scores this share of the best
SUGGESTIONS = (
    "What does Russia demand?",
    "Who mediates the talks?",
    "What came out of the Istanbul talks?",
    "What were the Minsk agreements?",
)


def default_dirs() -> tuple[Path, ...]:
    """The shipped corpus folder inside the installed package."""
    return (Path(str(resources.files("knowledge") / "data" / "corpus")),)


@dataclass(frozen=True, slots=True)
class KnowledgeDiff:
    """What changed between two snapshots, by source id."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    sources: int
    passages: int

    @property
    def unchanged(self) -> bool:
        """True when no source was added, removed or changed."""
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True, slots=True)
class Query:
    """A question as searched: its weighted terms and the language it was asked in."""

    terms: tuple[str, ...]
    weights: dict[str, float]  # idf per term; unknown terms weigh as a term seen once
    language: str


class Knowledge:
    """An immutable snapshot of sources, passages and their index; safe to share."""

    def __init__(
        self, sources: Sequence[Source], passages: Sequence[Passage], index: BM25Index
    ) -> None:
        self.sources: tuple[Source, ...] = tuple(sources)
        self.passages: tuple[Passage, ...] = tuple(passages)
        self.index = index
        self._by_source = {s.id: s for s in self.sources}
        self._by_passage = {p.id: row for row, p in enumerate(self.passages)}
        surface = {normalize(w) for p in passages for w in _SURFACE_WORD.findall(p.text)}
        self._speller = Speller(surface)

    @classmethod
    def build(cls, sources: Sequence[Source]) -> Knowledge:
        """Split and index ``sources``."""
        passages = [p for s in sources for p in split_passages(s)]
        docs = [tokenize(f"{p.section or ''}\n{p.text}") for p in passages]
        return cls(sources, passages, BM25Index.build(docs))

    def _popularity(self, word: str) -> int:
        return self.index.doc_freq(stem(word))

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if indexed."""
        return self._by_source.get(source_id)

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with this id, if indexed."""
        row = self._by_passage.get(passage_id)
        return None if row is None else self.passages[row]

    def query(self, question: str) -> Query:
        """Tokenize ``question``, correct typos against the corpus, and weigh each term."""
        terms: list[str] = []
        popularity = self._popularity
        for word in words(question[:4000]):
            term = word.token
            if term and term not in self.index:
                fixed = self._speller.correct(
                    normalize(question[word.start : word.end]), popularity
                )
                term = stem(fixed) if fixed else term
            if term and term not in terms:
                terms.append(term)
        terms = terms[:MAX_QUERY_TERMS]
        unknown = math.log(max(len(self.passages) - 0.5, 1.5) / 1.5) or 1.0
        weights = {t: (self.index.idf(t) if t in self.index else unknown) for t in terms}
        return Query(tuple(terms), weights, "en")

    def coverage(self, query: Query, row: int) -> float:
        """The share of the question's weight that passage ``row`` matches."""
        total = sum(query.weights.values())
        present = set(tokenize(self.passages[row].text + " " + (self.passages[row].section or "")))
        return sum(w for t, w in query.weights.items() if t in present) / total if total else 0.0

    def search(self, query: Query, k: int, allowed: np.ndarray | None = None) -> list[Hit]:
        """The top ``k`` passages for ``query`` that pass the relevance bar."""
        hits = self.index.search(list(query.terms), k, allowed)
        if not hits or self.coverage(query, hits[0].row) < MIN_COVERAGE:
            return []
        return [h for h in hits if h.score >= MIN_RELATIVE_SCORE * hits[0].score]

    def excerpts(self, query: Query, hits: Sequence[Hit], limit: int) -> list[Excerpt]:
        """Excerpts of ``hits`` in order, near-duplicates dropped, at most ``limit``."""
        shown: list[Excerpt] = []
        for hit in hits:
            passage = self.passages[hit.row]
            source = self._by_source[passage.source_id]
            excerpt = make_excerpt(passage, source, query.weights, len(shown) + 1, hit.score)
            if not any(is_near_duplicate(excerpt, e) for e in shown):
                shown.append(excerpt)
            if len(shown) >= limit:
                break
        return shown

    def ask(self, question: str, top: int = 3, offset: int = 0) -> Answer:
        """Answer ``question`` with up to ``top`` excerpts, skipping the first ``offset``."""
        started = time.perf_counter()
        query = self.query(question)
        offset = max(0, min(offset, MAX_RESULTS))
        hits = self.search(query, min(MAX_RESULTS, 2 * (offset + top) + 2))
        shown = self.excerpts(query, hits, offset + top + 1)
        page = tuple(shown[offset : offset + top])
        return Answer(
            question=question,
            answered=bool(page),
            excerpts=page,
            took_ms=(time.perf_counter() - started) * 1000,
            offset=offset,
            has_more=len(shown) > offset + top,
            language=query.language,
            suggestions=() if page else SUGGESTIONS,
        )

    def diff(self, old: Knowledge | None) -> KnowledgeDiff:
        """What changed from ``old`` to this snapshot."""
        before = {s.id: s.digest for s in old.sources} if old else {}
        after = {s.id: s.digest for s in self.sources}
        return KnowledgeDiff(
            added=tuple(sorted(after.keys() - before.keys())),
            removed=tuple(sorted(before.keys() - after.keys())),
            changed=tuple(sorted(i for i in after.keys() & before.keys() if after[i] != before[i])),
            sources=len(self.sources),
            passages=len(self.passages),
        )


def _resolve(dirs: Sequence[Path] | None) -> tuple[Path, ...]:
    return tuple(Path(d) for d in dirs) if dirs else default_dirs()


def check(dirs: Sequence[Path] | None = None) -> tuple[list[Problem], list[Problem]]:
    """Every problem and warning of the knowledge files in ``dirs``."""
    result = load_sources(_resolve(dirs))
    return list(result.problems), list(result.warnings)


def load(dirs: Sequence[Path] | None = None) -> Knowledge:
    """Load and index every source of ``dirs`` (default: the shipped corpus).

    Raises:
        KnowledgeError: a file is bad; nothing is loaded, every problem is listed.
    """
    result = load_sources(_resolve(dirs))
    if result.problems:
        raise KnowledgeError(result.problems)
    return Knowledge.build(result.sources)

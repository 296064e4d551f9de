"""Passage ranking: BM25 over a question's term groups, plus evidence from the whole source.

Each question term matches a group of indexed forms (itself, its variants, its synonyms); a
passage scores the best form of each group, so synonyms widen recall without adding up. The
passage's own source then adds a share of its article-level BM25 score, so "demands at the
Istanbul talks" prefers the demands paragraph of the article about Istanbul.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from knowledge.features import PRODUCT, RankingOptions
from knowledge.index import BM25Index, term_frequencies, term_ids, top_k
from knowledge.models import Hit

__all__ = ["PassageLayout", "SourceTerms", "group_scores", "rank"]

SOURCE_WEIGHT = 0.5  # a term the passage's source is about counts as this many idf
NEIGHBOUR_WEIGHT = 0.6  # share of a neighbouring passage's score for a term a passage lacks
ENTITY_FACTOR = 0.6  # a passage tagged with the entry a term names scores this share of it
COVERAGE_POWER = 1.0  # scores scale by (share of the question's weight matched) ** this
FAVOUR_SHARE = 0.4  # share of the best score a passage stating the asked-for position gains
SYNONYM_FACTOR = 0.7  # a synonym match counts this share of an exact one
TOPIC_RATIO = 2.0  # a source is about a term it uses this much more than the sources overall


def group_scores(
    index: BM25Index, group: Sequence[str], weight: float, discounted: Collection[str] = ()
) -> np.ndarray:
    """float64[n_docs]: each document's score for its best-scoring form of ``group``.

    Every form scores with the question term's ``weight`` in place of its own idf, so a rare
    variant or synonym never outweighs the word that was asked; forms in ``discounted``
    (synonyms) count ``SYNONYM_FACTOR`` of that. For a group of one indexed term whose
    weight is its idf, this is rank-bm25's score for that term.
    """
    columns = []
    for form in group:
        idf = index.idf(form)
        if form in index and idf > 0:
            factor = SYNONYM_FACTOR if form in discounted else 1.0
            columns.append(index.scores([form]) * (factor * weight / idf))
    if not columns:
        return np.zeros(len(index), dtype=np.float64)
    return columns[0] if len(columns) == 1 else np.maximum.reduce(columns)


class PassageLayout(NamedTuple):
    """Where passages stand: int[n] source rows, int[n] previous and next rows, bool[n]."""

    source: np.ndarray
    previous: np.ndarray  # row of the previous passage of the same source (itself if none)
    next: np.ndarray  # row of the next passage of the same source (itself if none)
    has_neighbours: np.ndarray

    @classmethod
    def of(cls, source_rows: Sequence[int]) -> PassageLayout:
        """The layout of passages listed source by source, in order."""
        src = np.asarray(source_rows, dtype=np.int64)
        rows = np.arange(len(src))
        same_prev = np.r_[False, src[1:] == src[:-1]]
        same_next = np.r_[src[:-1] == src[1:], False]
        previous = np.where(same_prev, rows - 1, rows)
        nxt = np.where(same_next, rows + 1, rows)
        return cls(src, previous, nxt, same_prev | same_next)


class SourceTerms:
    """Term counts of whole sources (a sparse sources × terms matrix): what each is about."""

    def __init__(self, column: dict[str, int], counts: sp.spmatrix) -> None:
        """Wrap ``counts``: int[n_sources, n_terms], columns numbered by ``column``."""
        self.column = column
        self.counts = sp.csc_matrix(counts)  # CSC: a question slices a few term columns
        self.total = np.asarray(self.counts.sum(axis=0)).ravel()  # int[n_terms]
        lengths = np.asarray(self.counts.sum(axis=1)).ravel()
        self.lengths = np.maximum(lengths, 1).astype(np.float64)  # tokens per source
        self.total_length = float(self.lengths.sum()) or 1.0

    @classmethod
    def of_sources(cls, docs: Sequence[Sequence[str]]) -> SourceTerms:
        """Counts of whole sources, each given as its token list."""
        column, flat, lengths = term_ids(docs)
        # term_frequencies consumes ``flat``
        return cls(column, term_frequencies(flat, lengths, len(column)))

    @classmethod
    def of_passages(
        cls, docs: Iterable[Sequence[str]], source_rows: Sequence[int], n_sources: int
    ) -> SourceTerms:
        """Counts of sources from their passages' tokens (``source_rows[i]`` owns doc i)."""
        by_source: list[list[str]] = [[] for _ in range(n_sources)]
        for tokens, row in zip(docs, source_rows, strict=True):
            by_source[row] += tokens
        return cls.of_sources(by_source)

    @classmethod
    def of_term_ids(
        cls,
        vocabulary: Sequence[str],
        terms: np.ndarray,
        offsets: np.ndarray,
        source_rows: np.ndarray,
        n_sources: int,
    ) -> SourceTerms:
        """Counts of sources from passages stored as term ids.

        Args:
            vocabulary: the terms, in column order.
            terms: int[n_tokens], every passage's term ids, passage after passage.
            offsets: int[n_passages + 1], where each passage's ids start and end.
            source_rows: int[n_passages], each passage's source row.
            n_sources: how many sources.
        """
        rows = np.repeat(np.asarray(source_rows, dtype=np.int64), np.diff(offsets))
        ones = np.ones(len(terms), dtype=np.int64)
        counts = sp.coo_matrix((ones, (rows, terms)), shape=(n_sources, len(vocabulary)))
        return cls({t: i for i, t in enumerate(vocabulary)}, counts.tocsc())

    def topicality(self, groups: Sequence[Sequence[str]]) -> np.ndarray:
        """float64[n_sources, n_groups] in [0, 1]: how much each source is about each group.

        A source is about a term when it uses it at least twice and at least ``TOPIC_RATIO``
        times as often, per word, as the sources do overall; fully so at twice that.
        """
        out = np.zeros((len(self.lengths), len(groups)), dtype=np.float64)
        for g, group in enumerate(groups):
            cols = [self.column[f] for f in group if f in self.column]
            overall = max((int(self.total[c]) for c in cols), default=0) / self.total_length
            if not overall:
                continue
            tf = self.counts[:, cols].max(axis=1).toarray().ravel().astype(np.float64)
            ratio = tf / self.lengths / overall
            out[:, g] = np.where(tf >= 2, np.clip(ratio / TOPIC_RATIO - 1, 0.0, 1.0), 0.0)
        return out


def rank(
    passages: BM25Index,
    sources: SourceTerms,
    layout: PassageLayout,
    groups: Sequence[Sequence[str]],
    weights: Sequence[float],
    k: int,
    allowed: np.ndarray | None = None,
    discounted: Collection[str] = (),
    entity_rows: Sequence[np.ndarray | None] = (),
    favoured: np.ndarray | None = None,
    options: RankingOptions = PRODUCT,
) -> list[Hit]:
    """The top ``k`` passages: grouped BM25, plus the terms they inherit from their source.

    A passage that matches some of the question inherits, for each term it lacks, the larger
    of: that term's weight times how much its source is about the term
    (`SourceTerms.topicality`), and a share of a neighbouring passage's score for the term.

    Args:
        passages: index of passages (row = passage).
        sources: term counts of whole sources (row = source).
        layout: where each passage stands: its source and its neighbours.
        groups: the question's term groups.
        weights: each group's weight (its term's idf among passages).
        k: how many hits.
        allowed: bool[n_passages] filter, or None.
        discounted: forms reached only through a synonym.
        entity_rows: per group, bool[n_passages] of passages tagged with the taxonomy entry
            the group's term names (None when it names none); they match the group at
            ``ENTITY_FACTOR`` of its weight ("Putin" finds passages about Russia).
        favoured: bool[n_passages] of passages that state the position the question asks
            about ("Ukraine's demands": passages where Ukraine demands something); each
            gains ``FAVOUR_SHARE`` of the best score.
        options: ``inherit`` and ``coverage`` switch those steps; with both off (and no
            entity rows, favoured passages or synonyms) this is plain BM25.
    """
    entity_rows = list(entity_rows) or [None] * len(groups)
    owns = []  # per group, float64[n_passages]: each passage's own score for it
    for group, weight, tagged in zip(groups, weights, entity_rows, strict=True):
        own = group_scores(passages, group, weight, discounted)
        owns.append(own if tagged is None else np.maximum(own, ENTITY_FACTOR * weight * tagged))
    total = np.sum(owns, axis=0) if owns else np.zeros(len(passages))
    rows = np.flatnonzero(total > 0)  # only passages that match something can be shown
    if not len(rows):
        return []
    topical = sources.topicality(groups) if options.inherit else None
    source, previous, nxt = layout.source[rows], layout.previous[rows], layout.next[rows]
    inherited = np.zeros(len(rows), dtype=np.float64)
    covered = np.zeros(len(rows), dtype=np.float64)  # weight matched (inherited: half)
    for g, (own, weight) in enumerate(zip(owns, weights, strict=True)):
        mine = own[rows]
        if not options.inherit:
            covered += np.where(mine > 0, weight, 0.0)
            continue
        nearby = np.maximum(own[previous], own[nxt]) * layout.has_neighbours[rows]
        context = np.maximum(SOURCE_WEIGHT * weight * topical[source, g], NEIGHBOUR_WEIGHT * nearby)
        inherited += np.where(mine > 0, 0.0, context)
        covered += np.where(mine > 0, weight, np.where(context > 0, weight / 2, 0.0))
    coverage = covered / (sum(weights) or 1.0)
    scores = total[rows] + inherited
    if options.coverage:
        scores = scores * coverage**COVERAGE_POWER
    if favoured is not None:
        scores = scores + FAVOUR_SHARE * scores.max() * favoured[rows]
    if allowed is not None:
        scores = np.where(allowed[rows], scores, 0.0)
    return [Hit(int(rows[i]), float(scores[i])) for i in top_k(scores, k)]

"""Where a passage stands: its source and neighbours, and what each whole source is about.

`PassageLayout` places passages among their source's; `SourceTerms` counts each source's
terms, from which `SourceTerms.topicality` says how much a source is about a question term.
Ranking lets a passage inherit the terms its source is about or its neighbours have.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from knowledge.index import term_frequencies, term_ids
from knowledge.rows import expand, union

__all__ = ["TOPIC_RATIO", "PassageLayout", "SourceTerms"]

TOPIC_RATIO = 2.0  # a source is about a term it uses this much more than the sources overall


class PassageLayout(NamedTuple):
    """Where passages stand: int[n] source rows, int[n] previous and next rows, bool[n]."""

    source: np.ndarray
    previous: np.ndarray  # row of the previous passage of the same source (itself if none)
    next: np.ndarray  # row of the next passage of the same source (itself if none)
    has_neighbours: np.ndarray
    by_source: np.ndarray  # int[n]: the rows ordered by source (stable)
    starts: np.ndarray  # int[max source + 2]: where each source's rows start in by_source

    @classmethod
    def of(cls, source_rows: Sequence[int]) -> PassageLayout:
        """The layout of passages listed source by source, in order."""
        src = np.asarray(source_rows, dtype=np.int64)
        rows = np.arange(len(src))
        same_prev = np.r_[False, src[1:] == src[:-1]]
        same_next = np.r_[src[:-1] == src[1:], False]
        previous = np.where(same_prev, rows - 1, rows)
        nxt = np.where(same_next, rows + 1, rows)
        by_source = np.argsort(src, kind="stable")
        starts = np.zeros(int(src.max(initial=-1)) + 2, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=len(starts) - 1), out=starts[1:])
        return cls(src, previous, nxt, same_prev | same_next, by_source, starts)

    def sizes(self, sources: np.ndarray) -> np.ndarray:
        """int[len(sources)]: how many passages each of ``sources`` (source rows) has."""
        sources = sources[sources < len(self.starts) - 1]  # a source may have no passage
        return self.starts[sources + 1] - self.starts[sources]

    def rows_of(self, sources: np.ndarray) -> np.ndarray:
        """The rows of the passages of ``sources`` (source rows), source after source."""
        sources = sources[sources < len(self.starts) - 1]  # a source may have no passage
        return self.by_source[expand(self.starts[sources], self.starts[sources + 1])]


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

    def topicality(
        self, groups: Sequence[Sequence[str]], rows: np.ndarray | None = None
    ) -> np.ndarray:
        """float64[len(rows), n_groups] in [0, 1]: how much each source is about each group.

        A source is about a term when it uses it at least twice and at least ``TOPIC_RATIO``
        times as often, per word, as the sources do overall; fully so at twice that. ``rows``
        (source rows; every source when None) are the sources asked about.
        """
        rows = np.arange(len(self.lengths)) if rows is None else rows
        out = np.zeros((len(rows), len(groups)), dtype=np.float64)
        for g, group in enumerate(groups):
            out[:, g] = self.spread(self.about(group), rows)
        return out

    def about(self, group: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The sorted rows of the sources somewhat about ``group``, and their `topicality`."""
        cols = [self.column[f] for f in group if f in self.column]
        overall = max((int(self.total[c]) for c in cols), default=0) / self.total_length
        if not overall:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        indptr, indices, data = self.counts.indptr, self.counts.indices, self.counts.data
        using, places = union([indices[indptr[c] : indptr[c + 1]] for c in cols])
        tf = np.zeros(len(using), dtype=np.float64)  # the most any form is used
        for c, at in zip(cols, places, strict=True):
            tf[at] = np.maximum(tf[at], data[indptr[c] : indptr[c + 1]])
        ratio = tf / self.lengths[using] / overall
        topical = np.where(tf >= 2, np.clip(ratio / TOPIC_RATIO - 1, 0.0, 1.0), 0.0)
        return using[topical > 0], topical[topical > 0]

    def spread(self, about: tuple[np.ndarray, np.ndarray], rows: np.ndarray) -> np.ndarray:
        """float64[len(rows)]: the topicality `about` gives each source of ``rows``."""
        every = np.zeros(len(self.lengths), dtype=np.float64)
        every[about[0]] = about[1]
        return every[rows]

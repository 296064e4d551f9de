"""Best passages for weighted words within a tag filter, as excerpts: what structured answers
(``knowledge.topics``) read the tagged index through."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np

from knowledge.excerpts import make_excerpt
from knowledge.index import BM25Index
from knowledge.models import Excerpt, Hit, Passage, Source
from knowledge.taxonomy.model import Taxonomy

__all__ = ["SEARCH_DEPTH", "Finder", "TaggedCorpus"]

SEARCH_DEPTH = 10  # extra hits looked at beyond those needed


class TaggedCorpus(Protocol):
    """What a structured answer reads: the index, its passages, tag masks, source lookup."""

    @property
    def taxonomy(self) -> Taxonomy | None:
        """The taxonomy the passages were tagged with."""

    @property
    def index(self) -> BM25Index:
        """The BM25 index; row ``i`` is ``passages[i]``."""

    @property
    def passages(self) -> Sequence[Passage]:
        """The indexed passages, in index row order."""

    @property
    def tag_rows(self) -> Mapping[str, np.ndarray]:
        """Per tag, bool[n_passages]: which passages carry it (absent: none)."""

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if indexed."""


class Finder:
    """Best passages for weighted words within a tag filter, as de-duplicated excerpts."""

    def __init__(self, corpus: TaggedCorpus, taxonomy: Taxonomy) -> None:
        self.corpus = corpus
        self.taxonomy = taxonomy
        self.shown: list[Excerpt] = []
        self._none = np.zeros(len(corpus.passages), dtype=bool)

    def rows(self, tag: str) -> np.ndarray:
        """Boolean mask of the passages carrying ``tag``."""
        return self.corpus.tag_rows.get(tag, self._none)

    def weights(self, *groups: tuple[Iterable[str], float]) -> dict[str, float]:
        """Each known term's idf times its group's boost (the highest boost wins)."""
        index = self.corpus.index
        out: dict[str, float] = {}
        for terms, boost in groups:
            for term in terms:
                if term in index:
                    out[term] = max(out.get(term, 0.0), max(index.idf(term), 0.1) * boost)
        return out

    def find(
        self,
        weights: dict[str, float],
        allowed: np.ndarray,
        limit: int,
        shown_weights: dict[str, float] | None = None,
        evidence: Callable[[Passage], float] | None = None,
        keep: Callable[[Excerpt], bool] | None = None,
    ) -> list[Excerpt]:
        """Up to ``limit`` excerpts of passages not shown yet, the best in ``allowed`` first.

        Args:
            weights: search terms and their weights (idf times a boost).
            allowed: boolean mask of the passages to search.
            limit: how many excerpts at most.
            shown_weights: the terms that choose and mark the excerpt's sentences (default:
                ``weights``).
            evidence: when given, only passages where it is positive, the highest first.
            keep: when given, only excerpts it accepts (as the user would see them).
        """
        if not weights or not allowed.any() or limit <= 0:
            return []
        terms = sorted(weights, key=weights.__getitem__, reverse=True)
        used = {e.passage.id for e in self.shown}
        hits = [
            h
            for h in self.corpus.index.search(terms, limit + len(used) + SEARCH_DEPTH, allowed)
            if h.score > 0 and self.corpus.passages[h.row].id not in used
        ]
        if evidence is not None:
            scored = [(evidence(self.corpus.passages[h.row]), h) for h in hits]
            hits = [h for e, h in sorted(scored, key=lambda p: -p[0]) if e > 0]
        excerpts = (self._excerpt(h, shown_weights or weights) for h in hits)
        found = [e for e in excerpts if keep is None or keep(e)][:limit]
        self.shown += found
        return found

    def _excerpt(self, hit: Hit, weights: dict[str, float]) -> Excerpt:
        passage = self.corpus.passages[hit.row]
        source = self.corpus.source(passage.source_id)
        assert source is not None  # every passage's source is indexed
        return make_excerpt(passage, source, weights, 0, hit.score)

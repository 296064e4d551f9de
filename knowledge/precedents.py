"""Precedents: the tuning questions a passage answered, and a question worded like them.

The learned expansions (`knowledge.expansions`) add the words of a passage's tuning questions
to its own; a precedent keeps each question whole. A question is compared with every tuning
question (BM25 over their words); the passages that answered its `NEIGHBOURS` nearest ones
move up the ranked hits, each by its neighbours' share of the nearest one's score. Only the
hits' order changes: a passage nothing else found is not added, and the answer-or-refuse
decision (`knowledge.decision`) is made before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.expansions import Expansions
from knowledge.index import BM25Index
from knowledge.models import Hit, Passage

__all__ = ["MIN_KNOWN", "NEIGHBOURS", "PRECEDENT_WEIGHT", "Precedents"]

NEIGHBOURS = 5  # the nearest tuning questions that vote
# The tuning questions' words must cover this share of the question's weight: asked about a
# new source's "Helsinki memorandum", they know "memorandum" only and stay out of it.
MIN_KNOWN = 0.7
PRECEDENT_WEIGHT = 0.5  # a hit's gain per unit of votes, against 1 / (1 + its rank)


@dataclass(frozen=True, slots=True)
class Precedents:
    """The tuning questions (``index``'s rows) and the passage row each one answered."""

    index: BM25Index
    rows: np.ndarray  # int64[questions]: the passage row of each indexed question

    @classmethod
    def of(cls, passages: Sequence[Passage], expansions: Expansions) -> Precedents | None:
        """The questions ``expansions`` knows for ``passages`` (row ``i`` is ``passages[i]``);
        None when it knows none."""
        questions: list[tuple[str, ...]] = []
        rows: list[int] = []
        for row, passage in enumerate(passages):
            if passage.source_id not in expansions.questions:
                continue
            for question in expansions.asked(passage):
                questions.append(question)
                rows.append(row)
        if not questions:
            return None
        return cls(BM25Index.build(questions), np.asarray(rows, dtype=np.int64))

    def votes(self, weights: Mapping[str, float]) -> dict[int, float]:
        """Passage row -> the summed scores of the `NEIGHBOURS` nearest questions it answered,
        each over the nearest one's score, for a question of terms ``weights`` (term -> its
        weight); none when the tuning questions' words cover less than `MIN_KNOWN` of it."""
        terms = sorted(weights)
        scores = self.index.scores(terms)
        nearest = np.argsort(-scores, kind="stable")[:NEIGHBOURS]
        nearest = nearest[scores[nearest] > 0]
        found: defaultdict[int, float] = defaultdict(float)
        total = sum(weights.values())
        if not len(nearest) or total <= 0:
            return found
        if sum(weights[t] for t in terms if t in self.index) < MIN_KNOWN * total:
            return found
        best = float(scores[nearest[0]])
        for i in nearest:
            found[int(self.rows[i])] += float(scores[i]) / best
        return found

    def reorder(self, hits: Sequence[Hit], weights: Mapping[str, float]) -> list[Hit]:
        """``hits`` (best first) re-sorted by ``1 / (1 + rank)`` plus `PRECEDENT_WEIGHT` times
        their `votes` for a question of terms ``weights``; scores kept, ties keep the order."""
        if len(hits) < 2:
            return list(hits)
        votes = self.votes(weights)
        if not votes:
            return list(hits)
        gain = [1 / (1 + i) + PRECEDENT_WEIGHT * votes.get(h.row, 0.0) for i, h in enumerate(hits)]
        return [hits[i] for i in sorted(range(len(hits)), key=lambda i: (-gain[i], i))]

"""Precedents: the tuning questions a passage answered, and a question worded like them.

The learned expansions (`knowledge.expansions`) add the words of a passage's tuning questions
to its own; a precedent keeps each question whole. A question is compared with every tuning
question (BM25 over their words); the passages that answered its `NEIGHBOURS` nearest ones
move up the ranked hits, each by its neighbours' share of the nearest one's score. Only the
hits' order changes: a passage nothing else found is not added, and the answer-or-refuse
decision (`knowledge.decision`) is made before.

A hit's excerpt shows the sentence that answered most of the `NEIGHBOURS` nearest questions
its passage answered (`focus`): the question's own words may match another sentence better.

The out-of-scope tuning questions (`knowledge.out_of_scope`) are precedents too, answered by
no passage: when the nearest questions are all such, and the passages found are ones the
tuning questions were asked about, the decision refuses (`unanswered`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.evaluation import fold
from knowledge.expansions import Expansions, Question
from knowledge.index import BM25Index, top_k
from knowledge.models import Hit, Passage
from knowledge.passages import sentence_spans

__all__ = [
    "MIN_KNOWN",
    "MIN_SHARED",
    "NEAR",
    "NEIGHBOURS",
    "PRECEDENT_WEIGHT",
    "UNANSWERED",
    "Precedents",
]

NEIGHBOURS = 5  # the nearest tuning questions that vote
# The tuning questions' words must cover this share of the question's weight: asked about a
# new source's "Helsinki memorandum", they know "memorandum" only and stay out of it.
MIN_KNOWN = 0.7
PRECEDENT_WEIGHT = 0.5  # a hit's gain per unit of votes, against 1 / (1 + its rank)
NEAR = 0.5  # the neighbours weighed for `unanswered` score this share of the nearest
# ... and the nearest of all must share this share of it: "How is the civilian population
# affected by the war?" is nearest to "What is the population of Istanbul?" by one word only.
MIN_SHARED = 0.5
UNANSWERED = -1  # the row of an out-of-scope question: no passage answered it


@dataclass(frozen=True, slots=True)
class Precedents:
    """The tuning questions: those a passage answered (``answered``, with each one's passage
    row and the sentence of it that answered) and all of them, out of scope too (``asked``,
    with each one's row or `UNANSWERED`).

    They are two indexes so that the out-of-scope questions do not change how the answered
    ones weigh their words.
    """

    answered: BM25Index
    asked: BM25Index
    rows: np.ndarray  # int64[len(asked)]: the passage row of each question, or `UNANSWERED`
    # int64[len(answered)]: each answered question's sentence (`sentence_spans` of its
    # passage), -1 when unknown
    sentences: np.ndarray

    @classmethod
    def of(
        cls,
        passages: Sequence[Passage],
        expansions: Expansions,
        unanswered: Sequence[Question] = (),
    ) -> Precedents | None:
        """The questions ``expansions`` knows for ``passages`` (row ``i`` is ``passages[i]``),
        then the out-of-scope ``unanswered``; None when no passage has any."""
        questions: list[Question] = []
        rows: list[int] = []
        sentences: list[int] = []
        for row, passage in enumerate(passages):
            if passage.source_id not in expansions.questions:
                continue
            asked = expansions.asked(passage)
            questions += asked
            rows += [row] * len(asked)
            sentences += _sentences(passage, expansions.answered_in(passage), len(asked))
        if not questions:
            return None
        answered = BM25Index.build(questions)
        everything = BM25Index.build([*questions, *unanswered]) if unanswered else answered
        rows += [UNANSWERED] * len(unanswered)
        return cls(
            answered,
            everything,
            np.asarray(rows, dtype=np.int64),
            np.asarray(sentences, dtype=np.int64),
        )

    def nearness(self, weights: Mapping[str, float]) -> np.ndarray:
        """Each answered question's BM25 score for a question of terms ``weights``: computed
        once per question, for `votes` (through `reorder`) and `focus` alike."""
        return self.answered.scores(sorted(weights))

    def votes(
        self, weights: Mapping[str, float], near: np.ndarray | None = None
    ) -> dict[int, float]:
        """Passage row -> the summed scores of the `NEIGHBOURS` nearest questions it answered,
        each over the nearest one's score, for a question of terms ``weights`` (term -> its
        weight; ``near``: its `nearness`, when known); none when their words cover less than
        `MIN_KNOWN` of it."""
        nearest, scores = _nearest(self.answered, weights, near)
        found: defaultdict[int, float] = defaultdict(float)
        if not len(nearest):
            return found
        best = float(scores[nearest[0]])
        for i in nearest:
            found[int(self.rows[i])] += float(scores[i]) / best
        return found

    def focus(self, near: np.ndarray, rows: Collection[int]) -> dict[int, int]:
        """Passage row (of ``rows``) -> the sentence (`sentence_spans` index) that answered
        most of the `NEIGHBOURS` questions nearest a question among those the passage
        answered, by their summed scores (``near``: the question's `nearness`); rows none of
        whose questions shares a word are left out."""
        scores = near
        found = np.flatnonzero((scores > 0) & (self.sentences >= 0))
        found = found[np.isin(self.rows[found], list(rows))]
        votes: defaultdict[int, defaultdict[int, float]] = defaultdict(lambda: defaultdict(float))
        counted: defaultdict[int, int] = defaultdict(int)
        for i in found[np.argsort(-scores[found], kind="stable")]:
            row = int(self.rows[i])
            if counted[row] < NEIGHBOURS:
                counted[row] += 1
                votes[row][int(self.sentences[i])] += float(scores[i])
        return {row: max(v, key=lambda s: (v[s], -s)) for row, v in votes.items()}

    def unanswered(self, weights: Mapping[str, float], found: Sequence[int]) -> float:
        """The share of the nearest questions' scores (those within `NEAR` of the nearest)
        that out-of-scope questions have, for a question of terms ``weights`` whose passages
        ``found`` (rows) tuning questions answered; 0 when one of them none did, or the
        nearest question shares less than `MIN_SHARED` of the weight."""
        if not len(found) or not np.isin(found, self.rows).all():
            return 0.0
        nearest, scores = _nearest(self.asked, weights)
        if not len(nearest) or _shared(self.asked, nearest[0], weights) < MIN_SHARED:
            return 0.0
        near = nearest[scores[nearest] >= NEAR * scores[nearest[0]]]
        outside = self.rows[near] == UNANSWERED
        return float(scores[near][outside].sum() / scores[near].sum())

    def reorder(
        self,
        hits: Sequence[Hit],
        weights: Mapping[str, float],
        semantic: Mapping[int, float] | None = None,
        near: np.ndarray | None = None,
    ) -> list[Hit]:
        """``hits`` (best first) re-sorted by ``1 / (1 + rank)`` plus `PRECEDENT_WEIGHT` times
        their `votes` for a question of terms ``weights``; scores kept, ties keep the order.

        With the semantic stage's votes (``semantic``: the same, by the questions' meaning,
        `knowledge.semantic.precedents`), a passage's votes are the mean of the two. Only the
        passages tuning questions were asked about move, among their own places: a new
        article's passage keeps its place (the pool ranks alike either way). ``near``: the
        question's `nearness`, when known."""
        if len(hits) < 2:
            return list(hits)
        votes = self.votes(weights, near)
        if semantic:
            both = votes.keys() | semantic.keys()
            votes = {r: (votes.get(r, 0.0) + semantic.get(r, 0.0)) / 2 for r in both}
        if not votes:
            return list(hits)
        gain = [1 / (1 + i) + PRECEDENT_WEIGHT * votes.get(h.row, 0.0) for i, h in enumerate(hits)]
        known = np.isin([h.row for h in hits], self.rows)
        places = [i for i in range(len(hits)) if known[i]]  # the others keep their places
        moved = sorted(places, key=lambda i: (-gain[i], i))
        order = list(range(len(hits)))
        for place, i in zip(places, moved, strict=True):
            order[place] = i
        return [hits[i] for i in order]


def _sentences(passage: Passage, openings: Sequence[str], count: int) -> list[int]:
    """The index in ``passage``'s `sentence_spans` of the first sentence starting with each of
    the folded ``openings`` (-1 for none, and for each of ``count`` questions without one)."""
    text = passage.text
    starts = [fold(text[a:b].strip()) for a, b in sentence_spans(text)]
    found = [next((i for i, s in enumerate(starts) if o and s.startswith(o)), -1) for o in openings]
    return (found + [-1] * count)[:count]


def _shared(index: BM25Index, question: int, weights: Mapping[str, float]) -> float:
    """The share of ``weights`` in the terms ``index``'s ``question`` shares."""
    shared = sum(w for t, w in weights.items() if question in index.postings(t)[0])
    return shared / sum(weights.values())


def _nearest(
    index: BM25Index, weights: Mapping[str, float], scores: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The `NEIGHBOURS` nearest questions of ``index`` (positive scores, best first) and all
    scores (``scores``, when already computed); none when its words cover less than
    `MIN_KNOWN` of the weight."""
    terms = sorted(weights)
    scores = index.scores(terms) if scores is None else scores
    nearest = top_k(scores, NEIGHBOURS)
    total = sum(weights.values())
    if total <= 0 or sum(weights[t] for t in terms if t in index) < MIN_KNOWN * total:
        return nearest[:0], scores
    return nearest, scores

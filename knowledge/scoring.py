"""A passage's score for a question, computed exactly at any sorted set of rows.

Each question term is a `Group`: the postings of its indexed forms (each scaled so it scores
with the term's weight) and the rows of passages tagged with the entry the term names. A
passage scores its best form per group, inherits a share of what its neighbours have for
the groups it lacks, and the sum scales by the share of the question's weight it covers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

import numpy as np

from knowledge.features import RankingOptions
from knowledge.index import BM25Index
from knowledge.layout import PassageLayout
from knowledge.rows import positions, sorted_rows, union

__all__ = ["Group", "groups_of", "neighbour_shares", "own_scores", "score_rows"]

# Share of a neighbouring passage's score for a term a passage lacks, in a short source. A
# short document (an abstract, a brief) is about one thing, while the neighbouring paragraphs of
# a long article move to other subtopics: a passage of a source longer than `FULL_INHERITANCE`
# passages inherits FULL_INHERITANCE / its length of the share (`neighbour_shares`). Tuning
# pool (tuneall, fresh, fresh2; four articles of 12-52 passages) hit@1 / hit@3 / MRR 0.552 /
# 0.702 / 0.617 -> 0.560 / 0.725 / 0.629, MiniLM 0.631 / 0.815 / 0.710 -> 0.633 / 0.815 /
# 0.713; SciFact (abstracts) 0.6816 -> 0.6819 (6: 0.558 / 0.727, 0.6814; 8: 0.554 / 0.723,
# 0.6816). A flat 0.1 ranked the talks as well but cost SciFact (0.6785; none at all: 0.6625).
NEIGHBOUR_WEIGHT = 0.6
FULL_INHERITANCE = 4
ENTITY_FACTOR = 0.6  # a passage tagged with the entry a term names scores this share of it
COVERAGE_POWER = 1.0  # scores scale by (share of the question's weight matched) ** this
# A synonym match counts this share of an exact one. With the general paraphrase layer (176
# groups) 0.4-0.6 rank alike on the earlier question set (hit@3 0.641-0.651) and SciFact
# (0.6812-0.6820); 0.7 and 0.8 lose hit@1 (0.503, 0.487 against 0.508).
SYNONYM_FACTOR = 0.5
LOOKUP_COST = 50  # a binary search in postings costs about this many membership tests


class Form(NamedTuple):
    """An indexed form's postings: sorted int rows, float64 BM25 scores, the factor they take."""

    rows: np.ndarray
    values: np.ndarray
    scale: float


class Group(NamedTuple):
    """One question term: the forms it matches, its tagged rows (sorted, or None), its weight."""

    terms: Sequence[str]
    forms: list[Form]
    tagged: np.ndarray | None
    weight: float

    def rows(self) -> list[np.ndarray]:
        """The rows this group's own score can be positive at, one array per form or tag."""
        found = [f.rows for f in self.forms]
        return found if self.tagged is None else [*found, self.tagged]

    def own_values(self) -> list[np.ndarray]:
        """The own score each of `rows` gives, array for array."""
        found = [f.values * f.scale for f in self.forms]
        if self.tagged is None:
            return found
        return [*found, np.full(len(self.tagged), ENTITY_FACTOR * self.weight)]

    def size(self) -> int:
        """How many postings and tagged rows the group has."""
        return sum(len(rows) for rows in self.rows())

    def best_own(self) -> float:
        """The largest own score any passage has for this group."""
        best = [float(f.values.max()) * f.scale for f in self.forms if len(f.values)]
        if self.tagged is not None and len(self.tagged):
            best.append(ENTITY_FACTOR * self.weight)
        return max(best, default=0.0)  # from each form's maximum: no product of its postings


def groups_of(
    index: BM25Index,
    groups: Sequence[Sequence[str]],
    weights: Sequence[float],
    discounted: Collection[str] = (),
    entity_rows: Sequence[np.ndarray | None] = (),
) -> list[Group]:
    """The question's groups: each term's scoring forms and tagged rows (sorted or a mask)."""
    tagged = [None if t is None else sorted_rows(t) for t in entity_rows] or [None] * len(groups)
    out = []
    for group, weight, rows in zip(groups, weights, tagged, strict=True):
        forms = []
        for form in group:
            idf = index.idf(form)
            if form in index and idf > 0:
                factor = SYNONYM_FACTOR if form in discounted else 1.0
                forms.append(Form(*index.postings(form), factor * weight / idf))
        out.append(Group(group, forms, rows, weight))
    return out


def own_scores(
    group: Group, rows: np.ndarray, slots: tuple[np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """float64[len(rows)]: each of sorted distinct ``rows``' score for its best form of ``group``.

    A form's postings are found among ``rows`` by a binary search per row or, for postings
    short enough, by `slots` of ``rows`` when given: bool[n_passages], True at ``rows``, and
    int[n_passages], each row's place in ``rows`` (only read there).
    """
    columns = []
    for form in group.forms:
        column = np.zeros(len(rows), dtype=np.float64)
        if slots is not None and len(form.rows) < LOOKUP_COST * len(rows):
            hit = slots[0][form.rows]
            column[slots[1][form.rows[hit]]] = form.values[hit] * form.scale
        else:
            hit, at = positions(form.rows, rows)
            column[hit] = form.values[at[hit]] * form.scale
        columns.append(column)
    if not columns:
        own = np.zeros(len(rows), dtype=np.float64)
    else:
        own = columns[0] if len(columns) == 1 else np.maximum.reduce(columns)
    if group.tagged is not None:
        own = np.maximum(own, ENTITY_FACTOR * group.weight * positions(group.tagged, rows)[0])
    return own


def slots(rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """bool[n], True at ``rows``, and int32[n], the place of each of ``rows`` (else unset)."""
    inside = np.zeros(n, dtype=bool)
    inside[rows] = True
    place = np.empty(n, dtype=np.int32)  # only read where ``inside``
    place[rows] = np.arange(len(rows), dtype=np.int32)
    return inside, place


def neighbour_shares(lengths: np.ndarray) -> np.ndarray:
    """float64 shares of a neighbour's score inherited by passages of sources of ``lengths``."""
    return NEIGHBOUR_WEIGHT * np.minimum(1.0, FULL_INHERITANCE / np.maximum(lengths, 1))


def score_rows(
    rows: np.ndarray,
    groups: Sequence[Group],
    layout: PassageLayout,
    options: RankingOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """float64[len(rows)] twice: sorted distinct ``rows``' own score sums and final scores.

    A row inherits, for each group it lacks, a share of the best own score of its previous
    and next passage; the sum then scales by the weight covered (inherited: half). Favour
    and filters come after.
    """
    wanted = [rows]
    if options.inherit:  # the neighbours' own scores too
        wanted += [layout.previous[rows], layout.next[rows]]
    every, places = union(wanted, len(layout.source))
    where = slots(every, len(layout.source))
    found = [own_scores(group, every, where) for group in groups]
    owns = [own[places[0]] for own in found]
    total = np.sum(owns, axis=0) if owns else np.zeros(len(rows))
    inherited = np.zeros(len(rows), dtype=np.float64)
    covered = np.zeros(len(rows), dtype=np.float64)  # weight matched (inherited: half)
    shares = neighbour_shares(layout.length[rows])
    for group, own, every_own in zip(groups, owns, found, strict=True):
        has = own > 0
        if not options.inherit:
            covered += np.where(has, group.weight, 0.0)
            continue
        # a share of the best own score of a neighbour (a share > 0 commutes with the max)
        nearby = np.maximum(every_own[places[1]], every_own[places[2]])
        context = shares * nearby
        inherited += np.where(has, 0.0, context)
        covered += np.where(has, group.weight, np.where(context > 0, group.weight / 2, 0.0))
    scores = total + inherited
    if options.coverage:
        coverage = covered / (sum(g.weight for g in groups) or 1.0)
        scores = scores * coverage**COVERAGE_POWER
    return total, scores

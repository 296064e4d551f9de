"""Passage ranking: BM25 over a question's term groups, plus evidence from around a passage.

Each question term matches a group of indexed forms (itself, its variants, its synonyms); a
passage scores the best form of each group, so synonyms widen recall without adding up. A
term a passage lacks but its previous or next passage has counts a share of the neighbour's
score, so "demands at the Istanbul talks" prefers the demands paragraph right after the one
naming Istanbul; a source title matching the question lifts all its passages.

The score itself is `knowledge.scoring`; the rows that can reach the top k, `knowledge.pruning`;
where passages stand, `knowledge.layout`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from knowledge.features import PRODUCT, RankingOptions
from knowledge.index import BM25Index, top_k
from knowledge.layout import PassageLayout
from knowledge.models import Hit
from knowledge.pruning import reachable_rows
from knowledge.rows import positions, sorted_rows, union
from knowledge.scoring import (
    COVERAGE_POWER,
    ENTITY_FACTOR,
    NEIGHBOUR_WEIGHT,
    SYNONYM_FACTOR,
    Group,
    groups_of,
    neighbour_shares,
    own_scores,
    score_rows,
)

__all__ = [
    "COVERAGE_POWER",
    "ENTITY_FACTOR",
    "FAVOUR_SHARE",
    "NEIGHBOUR_WEIGHT",
    "SYNONYM_FACTOR",
    "PassageLayout",
    "group_scores",
    "rank",
]

FAVOUR_SHARE = 0.4  # share of the best score a passage stating the asked-for position gains


def group_scores(
    index: BM25Index,
    group: Sequence[str],
    weight: float,
    discounted: Collection[str] = (),
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """float64[len(rows)]: each row's score for its best-scoring form of ``group``.

    Every form scores with the question term's ``weight`` in place of its own idf, so a rare
    variant or synonym never outweighs the word that was asked; forms in ``discounted``
    (synonyms) count ``SYNONYM_FACTOR`` of that. For a group of one indexed term whose
    weight is its idf, this is rank-bm25's score for that term. ``rows`` are sorted (every
    document when None).
    """
    rows = np.arange(len(index)) if rows is None else rows
    return own_scores(groups_of(index, [group], [weight], discounted)[0], rows)


def rank(
    passages: BM25Index,
    layout: PassageLayout,
    groups: Sequence[Sequence[str]],
    weights: Sequence[float],
    k: int,
    allowed: np.ndarray | None = None,
    discounted: Collection[str] = (),
    entity_rows: Sequence[np.ndarray | None] = (),
    favoured: np.ndarray | None = None,
    options: RankingOptions = PRODUCT,
    titles: np.ndarray | None = None,
) -> list[Hit]:
    """The top ``k`` passages: grouped BM25, plus the terms they inherit from their neighbours.

    Only candidates are scored: the rows in the postings of the question's forms and the
    tagged rows; no vector of every passage is built. When the common words' postings are
    long, `knowledge.pruning` first leaves out the rows sure to score below the k-th best
    (exact: the same top k), and only the rest are scored (`knowledge.scoring.score_rows`).

    A passage that matches some of the question inherits, for each term it lacks, a share of
    the best score its previous or next passage (of the same source) has for the term.

    Args:
        passages: index of passages (row = passage).
        layout: where each passage stands: its source and its neighbours.
        groups: the question's term groups.
        weights: each group's weight (its term's idf among passages).
        k: how many hits.
        allowed: bool[n_passages] filter, or None.
        discounted: forms reached only through a synonym.
        entity_rows: per group, the sorted rows (or a bool[n_passages] mask) of passages
            tagged with the taxonomy entry the group's term names (None when it names none);
            they match the group at ``ENTITY_FACTOR`` of its weight ("Putin" finds passages
            about Russia).
        favoured: sorted rows (or a bool[n_passages] mask) of passages that state the
            position the question asks about ("Ukraine's demands": passages where Ukraine
            demands something); each gains ``FAVOUR_SHARE`` of the best score.
        options: ``inherit`` and ``coverage`` switch those steps; with both off (and no
            entity rows, favoured passages, synonyms or titles) this is plain BM25.
        titles: float64[n_sources], what each source's title gives its matching passages
            (`knowledge.titles.SourceTitles.scores`), or None.
    """
    found = groups_of(passages, groups, weights, discounted, entity_rows)
    liked = None if favoured is None else sorted_rows(favoured)
    rows = reachable_rows(found, layout, k, allowed, liked, options, titles)
    if rows is None:
        rows, total, scores = _every_candidate(found, layout, options)
    else:
        total, scores = score_rows(rows, found, layout, options)
    matched = total > 0  # only passages that match something can be shown
    if not matched.any():
        return []
    rows, scores = rows[matched], scores[matched]
    if titles is not None:
        scores = scores + titles[layout.source[rows]]
    if liked is not None:
        scores = scores + FAVOUR_SHARE * scores.max() * positions(liked, rows)[0]
    if allowed is not None:
        scores = np.where(allowed[rows], scores, 0.0)
    return [Hit(int(rows[i]), float(scores[i])) for i in top_k(scores, k)]


def _every_candidate(
    groups: Sequence[Group], layout: PassageLayout, options: RankingOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every candidate (sorted rows any form or tag reaches), its own score sum and score.

    Nothing of the size of the whole collection is built: only the postings and tagged rows
    are read, and the candidates stand in row order, so neighbours are found among them.
    """
    candidates, owns = _own_scores(groups, len(layout.source))
    total = np.sum(owns, axis=0) if owns else np.zeros(len(candidates))
    matched = np.flatnonzero(total > 0)
    inherited, covered = _context(layout, groups, candidates, owns, matched, options)
    scores = np.zeros(len(candidates), dtype=np.float64)
    scores[matched] = total[matched] + inherited
    if options.coverage:
        scores[matched] *= (covered / (sum(g.weight for g in groups) or 1.0)) ** COVERAGE_POWER
    return candidates, total, scores


def _own_scores(groups: Sequence[Group], n: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The candidates (sorted rows any form or tag reaches, of ``n``) and their group scores."""
    candidates, places = union([rows for group in groups for rows in group.rows()], n)
    owns = []  # per group, float64[n_candidates]: each candidate's own score for it
    for group in groups:
        columns = []
        for form in group.forms:
            at, places = places[0], places[1:]
            column = np.zeros(len(candidates), dtype=np.float64)
            column[at] = form.values * form.scale
            columns.append(column)
        own = np.zeros(len(candidates)) if not columns else np.maximum.reduce(columns)
        if group.tagged is not None:
            mask = np.zeros(len(candidates), dtype=bool)
            mask[places[0]], places = True, places[1:]
            own = np.maximum(own, ENTITY_FACTOR * group.weight * mask)
        owns.append(own)
    return candidates, owns


def _context(
    layout: PassageLayout,
    groups: Sequence[Group],
    candidates: np.ndarray,
    owns: Sequence[np.ndarray],
    matched: np.ndarray,
    options: RankingOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """What the ``matched`` candidates inherit for terms they lack, and the weight covered."""
    n = len(candidates)
    inherited = np.zeros(n, dtype=np.float64)
    covered = np.zeros(n, dtype=np.float64)  # weight matched (inherited: half)
    if not options.inherit or len(groups) < 2:  # one group: a matched row has it, inherits none
        for own, group in zip(owns, groups, strict=True):
            covered += np.where(own > 0, group.weight, 0.0)
        return inherited[matched], covered[matched]
    back, ahead = _neighbours(layout, candidates)
    shares = neighbour_shares(layout.length[candidates])
    context = np.zeros(n, dtype=np.float64)  # scratch: zero again after each group
    for own, weight in zip(owns, [g.weight for g in groups], strict=True):
        mine = np.flatnonzero(own > 0)
        before, after = mine[back[mine]], mine[ahead[mine]]
        # a share of the best own score of a neighbour (a share > 0 commutes with the max)
        context[before - 1] = shares[before - 1] * own[before]
        context[after + 1] = np.maximum(context[after + 1], shares[after + 1] * own[after])
        context[mine] = 0.0  # a term a passage has is not inherited
        for near in (before - 1, after + 1):  # a row next to two of mine: added once
            gains = context[near]
            inherited[near] += gains
            covered[near] += np.where(gains > 0, weight / 2, 0.0)
            context[near] = 0.0
        covered[mine] += weight
    return inherited[matched], covered[matched]


def _neighbours(layout: PassageLayout, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """bool[len(candidates)] twice: is the candidate before (after) each its neighbour."""
    previous, nxt = layout.previous[candidates], layout.next[candidates]
    back = np.zeros(len(candidates), dtype=bool)
    np.equal(candidates[:-1], previous[1:], out=back[1:])
    back &= previous != candidates
    ahead = np.zeros(len(candidates), dtype=bool)
    np.equal(candidates[1:], nxt[:-1], out=ahead[:-1])
    ahead &= nxt != candidates
    return back, ahead

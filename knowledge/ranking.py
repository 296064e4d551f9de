"""Passage ranking: BM25 over a question's term groups, plus evidence from the whole source.

Each question term matches a group of indexed forms (itself, its variants, its synonyms); a
passage scores the best form of each group, so synonyms widen recall without adding up. The
passage's own source then adds a share of its article-level BM25 score, so "demands at the
Istanbul talks" prefers the demands paragraph of the article about Istanbul.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from knowledge.features import PRODUCT, RankingOptions
from knowledge.index import BM25Index, top_k
from knowledge.models import Hit
from knowledge.rows import expand, positions, sorted_rows, union
from knowledge.surroundings import TOPIC_RATIO, PassageLayout, SourceTerms

__all__ = ["TOPIC_RATIO", "PassageLayout", "SourceTerms", "group_scores", "rank"]

SOURCE_WEIGHT = 0.5  # a term the passage's source is about counts as this many idf
NEIGHBOUR_WEIGHT = 0.6  # share of a neighbouring passage's score for a term a passage lacks
ENTITY_FACTOR = 0.6  # a passage tagged with the entry a term names scores this share of it
COVERAGE_POWER = 1.0  # scores scale by (share of the question's weight matched) ** this
FAVOUR_SHARE = 0.4  # share of the best score a passage stating the asked-for position gains
SYNONYM_FACTOR = 0.7  # a synonym match counts this share of an exact one


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
    weight is its idf, this is rank-bm25's score for that term. ``rows`` (sorted; every
    document when None) should hold every row a form occurs in: the rest score 0.
    """
    rows = np.arange(len(index)) if rows is None else rows
    forms = _form_postings(index, group, weight, discounted)
    places = [positions(rows, found) for found, _, _ in forms]
    return _best_form(len(rows), forms, [at[hit] for hit, at in places], [hit for hit, _ in places])


def _best_form(
    n: int,
    forms: Sequence[tuple[np.ndarray, np.ndarray, float]],
    places: Sequence[np.ndarray],
    kept: Sequence[np.ndarray | None],
) -> np.ndarray:
    """float64[n]: the best scaled score of ``forms`` at each of ``n`` rows.

    A form's postings land at ``places`` (its ``kept`` postings, or all when None).
    """
    columns = []
    for (_, values, scale), at, hit in zip(forms, places, kept, strict=True):
        column = np.zeros(n, dtype=np.float64)
        column[at] = (values if hit is None else values[hit]) * scale
        columns.append(column)
    if not columns:
        return np.zeros(n, dtype=np.float64)
    return columns[0] if len(columns) == 1 else np.maximum.reduce(columns)


def _form_postings(
    index: BM25Index, group: Sequence[str], weight: float, discounted: Collection[str]
) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Per scoring form of ``group``: its rows, their BM25 scores, and the factor they take."""
    out = []
    for form in group:
        idf = index.idf(form)
        if form in index and idf > 0:
            factor = SYNONYM_FACTOR if form in discounted else 1.0
            out.append((*index.postings(form), factor * weight / idf))
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

    Only candidates are scored: the rows in the postings of the question's forms and the
    tagged rows; no vector of every passage is built.

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
        entity_rows: per group, the sorted rows (or a bool[n_passages] mask) of passages
            tagged with the taxonomy entry the group's term names (None when it names none);
            they match the group at ``ENTITY_FACTOR`` of its weight ("Putin" finds passages
            about Russia).
        favoured: sorted rows (or a bool[n_passages] mask) of passages that state the
            position the question asks about ("Ukraine's demands": passages where Ukraine
            demands something); each gains ``FAVOUR_SHARE`` of the best score.
        options: ``inherit`` and ``coverage`` switch those steps; with both off (and no
            entity rows, favoured passages or synonyms) this is plain BM25.
    """
    candidates, owns = _own_scores(passages, groups, weights, discounted, entity_rows)
    total = np.sum(owns, axis=0) if owns else np.zeros(len(candidates))
    matched = np.flatnonzero(total > 0)  # only passages that match something can be shown
    if not len(matched):
        return []
    rows = candidates[matched]
    inherited, covered = _context(
        sources, layout, groups, weights, candidates, owns, matched, options
    )
    coverage = covered / (sum(weights) or 1.0)
    scores = total[matched] + inherited
    if options.coverage:
        scores = scores * coverage**COVERAGE_POWER
    if favoured is not None:
        scores = scores + FAVOUR_SHARE * scores.max() * positions(sorted_rows(favoured), rows)[0]
    if allowed is not None:
        scores = np.where(allowed[rows], scores, 0.0)
    return [Hit(int(rows[i]), float(scores[i])) for i in top_k(scores, k)]


def _own_scores(
    passages: BM25Index,
    groups: Sequence[Sequence[str]],
    weights: Sequence[float],
    discounted: Collection[str],
    entity_rows: Sequence[np.ndarray | None],
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The candidates (sorted rows any form or entity tag reaches) and, per group, their scores.

    A passage outside the candidates scores 0 for every group, so nothing of the size of the
    whole collection is built: only the forms' postings and the tagged rows are read.
    """
    tagged = [None if t is None else sorted_rows(t) for t in entity_rows] or [None] * len(groups)
    forms = [
        _form_postings(passages, g, w, discounted) for g, w in zip(groups, weights, strict=True)
    ]
    pieces = [found for group in forms for found, _, _ in group] + [
        t for t in tagged if t is not None
    ]
    candidates, places = union(pieces)
    tags = iter(places[sum(len(group) for group in forms) :])  # where the tagged rows are
    owns = []  # per group, float64[n_candidates]: each candidate's own score for it
    for group, weight, rows in zip(forms, weights, tagged, strict=True):
        at, places = places[: len(group)], places[len(group) :]
        own = _best_form(len(candidates), group, at, [None] * len(group))
        if rows is not None:
            mask = np.zeros(len(candidates), dtype=bool)
            mask[next(tags)] = True
            own = np.maximum(own, ENTITY_FACTOR * weight * mask)
        owns.append(own)
    return candidates, owns


def _context(
    sources: SourceTerms,
    layout: PassageLayout,
    groups: Sequence[Sequence[str]],
    weights: Sequence[float],
    candidates: np.ndarray,
    owns: Sequence[np.ndarray],
    matched: np.ndarray,
    options: RankingOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """What the ``matched`` candidates inherit for terms they lack, and the weight covered."""
    n = len(candidates)
    inherited = np.zeros(n, dtype=np.float64)
    covered = np.zeros(n, dtype=np.float64)  # weight matched (inherited: half)
    if not options.inherit:
        for own, weight in zip(owns, weights, strict=True):
            covered += np.where(own > 0, weight, 0.0)
        return inherited[matched], covered[matched]
    back, ahead, spans, topical = _surroundings(sources, layout, groups, candidates, matched)
    for g, (own, weight) in enumerate(zip(owns, weights, strict=True)):
        mine = np.flatnonzero(own > 0)
        context = np.zeros(n, dtype=np.float64)
        about = np.flatnonzero(topical[:, g] > 0)  # sources about the term
        at = expand(spans[about], spans[about + 1])
        context[at] = np.repeat(SOURCE_WEIGHT * weight * topical[about, g], np.diff(spans)[about])
        for near, step in ((mine[back[mine]] - 1, 1), (mine[ahead[mine]] + 1, -1)):
            # a share of the best own score of a neighbour (NEIGHBOUR_WEIGHT > 0 commutes)
            context[near] = np.maximum(context[near], NEIGHBOUR_WEIGHT * own[near + step])
        gains = np.flatnonzero(context > 0)
        gains = gains[~(own[gains] > 0)]  # a term a passage has is not inherited
        inherited[gains] += context[gains]
        covered[mine] += weight
        covered[gains] += weight / 2
    return inherited[matched], covered[matched]


def _surroundings(
    sources: SourceTerms,
    layout: PassageLayout,
    groups: Sequence[Sequence[str]],
    candidates: np.ndarray,
    matched: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where candidates stand: whether the candidate before (after) each is its neighbour, where
    each source's candidates start, and how much each of those sources is about each group."""
    previous, nxt = layout.previous[candidates], layout.next[candidates]
    back = np.zeros(len(candidates), dtype=bool)  # the candidate before is the previous passage
    np.equal(candidates[:-1], previous[1:], out=back[1:])
    back &= previous != candidates
    ahead = np.zeros(len(candidates), dtype=bool)  # the candidate after is the next passage
    np.equal(candidates[1:], nxt[:-1], out=ahead[:-1])
    ahead &= nxt != candidates
    source = layout.source[candidates]  # a source's passages stand together
    first = np.ones(len(candidates), dtype=bool)
    np.not_equal(source[1:], source[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    spans = np.append(starts, len(candidates))
    counted = np.zeros(len(candidates), dtype=bool)  # only sources of matched passages count
    counted[matched] = True
    shown = np.logical_or.reduceat(counted, starts) if len(starts) else counted[:0]
    topical = np.zeros((len(starts), len(groups)), dtype=np.float64)
    topical[shown] = sources.topicality(groups, source[starts[shown]])
    return back, ahead, spans, topical

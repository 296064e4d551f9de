"""Exact top-k pruning: which rows can still reach the top k, before scoring every candidate.

A row gets something from a group only where the group reaches it: its own postings and tags,
their neighbours (which inherit from them) and the passages of sources about the term. So a
row reached by no group outside a set S scores at most ``bound(S)``: each group's largest
contribution summed, times the share of the question's weight S holds. Scoring a few rows
likely to rank high gives the k-th best score θ; groups whose bound together stays below θ
(typically the common words, with the longest postings) need no pass of their own, and only
the rows the other groups reach are scored. Every pruned row is sure to score below the k-th
best, so the top k is the one full scoring gives.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.features import RankingOptions
from knowledge.scoring import (
    COVERAGE_POWER,
    ENTITY_FACTOR,
    NEIGHBOUR_WEIGHT,
    SOURCE_WEIGHT,
    Group,
    score_rows,
)
from knowledge.surroundings import PassageLayout, SourceTerms

__all__ = ["reachable_rows"]

SEED_ROWS = 4096  # rows scored to learn θ
MIN_POSTINGS = 50_000  # below this many postings and tags, scoring them all is as fast
SLACK = 1e-9  # relative margin for bounds summed in another order than the scores


def reachable_rows(
    groups: Sequence[Group],
    layout: PassageLayout,
    sources: SourceTerms,
    k: int,
    allowed: np.ndarray | None,
    favoured: np.ndarray | None,
    options: RankingOptions,
) -> np.ndarray | None:
    """Sorted rows holding every row that can rank in the top ``k``; None when pruning won't pay.

    ``favoured`` rows (sorted) are always kept: the share of the best score they gain is not
    bounded here.
    """
    sizes = [group.size() for group in groups]
    if sum(sizes) < MIN_POSTINGS or k <= 0 or any(g.weight < 0 for g in groups):
        return None
    best = [_best(group, sources, options) for group in groups]
    theta = _threshold(groups, best, layout, sources, k, allowed, options)
    pruned: list[int] = []
    for g in sorted(range(len(groups)), key=lambda g: -sizes[g]):  # longest postings first
        if _bound(groups, best, [*pruned, g], options) * (1 + SLACK) < theta:
            pruned.append(g)
    if 2 * sum(sizes[g] for g in pruned) < sum(sizes):
        return None  # most postings would be read anyway
    kept = [_reach(group, layout, sources, options) for g, group in enumerate(groups)]
    kept = [rows for g, rows in enumerate(kept) if g not in pruned]
    if favoured is not None:
        kept.append(favoured)
    return np.unique(np.concatenate(kept)) if kept else np.empty(0, dtype=np.int64)


def _best(group: Group, sources: SourceTerms, options: RankingOptions) -> float:
    """The most a row can get from ``group``: its own score, or what it inherits."""
    own = group.best_own()
    if not options.inherit:
        return own
    topical = any(term in sources.column for term in group.terms)
    return max(own, SOURCE_WEIGHT * group.weight * topical, NEIGHBOUR_WEIGHT * own)


def _bound(
    groups: Sequence[Group], best: Sequence[float], chosen: Sequence[int], options: RankingOptions
) -> float:
    """The most a row only ``chosen`` groups reach can score."""
    total = sum(best[g] for g in chosen)
    if not options.coverage:
        return total
    share = sum(groups[g].weight for g in chosen) / (sum(g.weight for g in groups) or 1.0)
    return total * share**COVERAGE_POWER


def _threshold(
    groups: Sequence[Group],
    best: Sequence[float],
    layout: PassageLayout,
    sources: SourceTerms,
    k: int,
    allowed: np.ndarray | None,
    options: RankingOptions,
) -> float:
    """θ: the k-th best score among a few rows likely to rank high (0 when fewer score)."""
    seed = _seed(groups, best)
    total, scores = score_rows(seed, groups, layout, sources, options)
    ok = total > 0
    if allowed is not None:
        ok &= allowed[seed]
    scores = scores[ok]
    return (
        float(np.partition(scores, len(scores) - k)[len(scores) - k]) if len(scores) >= k else 0.0
    )


def _seed(groups: Sequence[Group], best: Sequence[float]) -> np.ndarray:
    """Sorted rows with the highest own scores of the groups that weigh most, ~`SEED_ROWS`."""
    picked, budget = [], SEED_ROWS
    for g in sorted(range(len(groups)), key=lambda g: -best[g]):
        rows = np.concatenate(groups[g].rows()) if groups[g].rows() else np.empty(0, np.int64)
        if len(rows) > budget:
            values = np.concatenate(
                [f.values * f.scale for f in groups[g].forms]
                + (
                    []
                    if groups[g].tagged is None
                    else [np.full(len(groups[g].tagged), ENTITY_FACTOR * groups[g].weight)]
                )
            )
            rows = rows[np.argpartition(-values, budget)[:budget]]
        picked.append(rows)
        budget -= len(rows)
        if budget <= 0:
            break
    return np.unique(np.concatenate(picked)) if picked else np.empty(0, dtype=np.int64)


def _reach(
    group: Group, layout: PassageLayout, sources: SourceTerms, options: RankingOptions
) -> np.ndarray:
    """Every row ``group`` can give something: own rows, their neighbours, sources about it."""
    own = np.concatenate(group.rows()) if group.rows() else np.empty(0, dtype=np.int64)
    if not options.inherit:
        return own
    about = layout.rows_of(sources.about(group.terms))
    return np.concatenate([own, layout.previous[own], layout.next[own], about])

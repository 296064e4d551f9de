"""Exact top-k pruning: which rows can still reach the top k, before scoring every candidate.

A row gets something from a group only where the group reaches it: its own postings and tags,
and their neighbours (which inherit a share of them).
Scoring a few rows likely to rank high gives θ, a score at least k rows reach. The groups with
the longest postings (the common words) are then set aside while what they can give a row
together, `_Bound`, stays below θ: a row only they reach cannot rank. What is left to score
is the other groups' own rows, and the rows they pass context to whose bound reaches θ.
Every row left out is sure to score below the k-th best, so the top k is the one scoring
every candidate gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from knowledge.features import RankingOptions
from knowledge.layout import PassageLayout
from knowledge.rows import union
from knowledge.scoring import (
    COVERAGE_POWER,
    ENTITY_FACTOR,
    NEIGHBOUR_WEIGHT,
    Group,
    score_rows,
)

__all__ = ["reachable_rows"]

SEED_ROWS = 4096  # rows scored to learn θ
MIN_POSTINGS = 50_000  # below this many postings and tags, scoring them all is as fast
SLACK = 1e-9  # relative margin for bounds summed in another order than the scores
PAYS = 0.4  # pruning pays when it leaves at most this share of the postings to score (measured)


class _Bound(NamedTuple):
    """What a row gets at most from the groups set aside: score, and weight covered."""

    score: float
    weight: float
    total_weight: float
    coverage: bool

    def of(self, score: np.ndarray | float, weight: np.ndarray | float) -> np.ndarray | float:
        """The most a row can score, given the most the other groups give it."""
        most = (self.score + score) * (1 + SLACK)
        if not self.coverage:
            return most
        return most * ((self.weight + weight) / self.total_weight) ** COVERAGE_POWER


def reachable_rows(
    groups: Sequence[Group],
    layout: PassageLayout,
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
    best = [_best(group, options) for group in groups]
    theta = _threshold(groups, best, layout, k, allowed, options)
    total_weight = sum(g.weight for g in groups) or 1.0
    order = sorted(range(len(groups)), key=lambda g: -sizes[g])  # longest postings first
    chosen, cost = None, sum(sizes)
    for n_aside in range(1, len(groups)):
        aside, kept = order[:n_aside], [groups[g] for g in order[n_aside:]]
        bound = _Bound(
            sum(best[g] for g in aside),
            sum(groups[g].weight for g in aside),
            total_weight,
            options.coverage,
        )
        if bound.of(0.0, 0.0) >= theta:
            break
        rows = sum(g.size() for g in kept)
        if rows < cost * PAYS:  # else most postings would be read anyway
            chosen, cost = (kept, bound), rows
    if chosen is None:
        return None
    kept, bound = chosen
    rows = [r for group in kept for r in group.rows()]
    if options.inherit:
        rows.append(_near_rows(kept, layout, bound, theta))
    return union([*rows, favoured] if favoured is not None else rows)[0]


def _near_rows(
    kept: Sequence[Group], layout: PassageLayout, bound: _Bound, theta: float
) -> np.ndarray:
    """Neighbours of the ``kept`` groups' rows whose bound still reaches ``theta``.

    A row inherits from each kept group a share of a neighbour's own score (and half its
    weight toward coverage); the groups set aside give it at most ``bound``.
    """
    rows, shares = [], []
    for group in kept:
        near, nearby = _neighbour_shares(group, layout)
        rows.append(near)
        shares.append(nearby)
    near, places = union(rows)
    gain, gain_weight = np.zeros(len(near)), np.zeros(len(near))
    for at, share, group in zip(places, shares, kept, strict=True):
        gain[at] += share  # each group lists a row once
        gain_weight[at] += group.weight / 2
    return near[bound.of(gain, gain_weight) >= theta]


def _neighbour_shares(group: Group, layout: PassageLayout) -> tuple[np.ndarray, np.ndarray]:
    """Sorted rows next to the group's own rows, and the share of their best neighbour."""
    found = [(f.rows, f.values * f.scale) for f in group.forms]
    if group.tagged is not None:
        found.append((group.tagged, np.full(len(group.tagged), ENTITY_FACTOR * group.weight)))
    near, values = [], []
    for rows, own in found:
        for step in (layout.previous, layout.next):
            to = step[rows]
            moved = to != rows
            near.append(to[moved])
            values.append(own[moved])
    rows = np.concatenate(near) if near else np.empty(0, dtype=np.int64)
    if not len(rows):
        return rows, np.empty(0)
    order = np.argsort(rows, kind="stable")  # sorted runs: merged in linear time
    rows, shares = rows[order], np.concatenate(values)[order]
    first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    return rows[first], NEIGHBOUR_WEIGHT * np.maximum.reduceat(shares, first)


def _best(group: Group, options: RankingOptions) -> float:
    """The most a row can get from ``group``: its own score, or what it inherits."""
    own = group.best_own()
    if not options.inherit:
        return own
    return max(own, NEIGHBOUR_WEIGHT * own)


def _threshold(
    groups: Sequence[Group],
    best: Sequence[float],
    layout: PassageLayout,
    k: int,
    allowed: np.ndarray | None,
    options: RankingOptions,
) -> float:
    """θ: the k-th best score among a few rows likely to rank high (0 when fewer score)."""
    seed = _seed(groups, best)
    total, scores = score_rows(seed, groups, layout, options)
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
        group = groups[g]
        if not group.rows():
            continue
        rows = np.concatenate(group.rows())
        if len(rows) > budget:
            values = [f.values * f.scale for f in group.forms]
            if group.tagged is not None:
                values.append(np.full(len(group.tagged), ENTITY_FACTOR * group.weight))
            rows = rows[np.argpartition(-np.concatenate(values), budget)[:budget]]
        picked.append(rows)
        budget -= len(rows)
        if budget <= 0:
            break
    return union(picked)[0]

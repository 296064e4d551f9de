"""Exact top-k pruning: which rows can still reach the top k, before scoring every candidate.

A row gets something from a group only where the group reaches it: its own postings and tags,
and their neighbours (which inherit a share of them). Scoring a few rows likely to rank high
gives θ, a score at least k rows reach. Each row's bound then follows from one key per row
summed over every group's postings (`_keys`: own scores and weight owned, one `bincount`):
a row can reach θ only if its key and its neighbours' reach a least that θ sets. Only the
rows that can are scored, so the top k is the one scoring every candidate gives.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.features import RankingOptions
from knowledge.layout import PassageLayout
from knowledge.rows import union
from knowledge.scoring import (
    COVERAGE_POWER,
    NEIGHBOUR_WEIGHT,
    Group,
    score_rows,
)

__all__ = ["reachable_rows"]

SEED_ROWS = 4096  # rows scored to learn θ
MIN_POSTINGS = 20_000  # below this many postings and tags, scoring them all is as fast
SLACK = 1e-9  # relative margin for bounds summed in another order than the scores
PAYS = 0.5  # pruning pays when it leaves at most this many rows per posting to score
SCALE = 1.0  # a key's own scores per weight owned (any positive value is exact; measured)


def reachable_rows(
    groups: Sequence[Group],
    layout: PassageLayout,
    k: int,
    allowed: np.ndarray | None,
    favoured: np.ndarray | None,
    options: RankingOptions,
    titles: np.ndarray | None = None,
) -> np.ndarray | None:
    """Sorted rows holding every row that can rank in the top ``k``; None when pruning won't pay.

    ``favoured`` rows (sorted) are always kept: the share of the best score they gain is not
    bounded here. ``titles`` (float64[n_sources] or None) is what each source's title adds.
    """
    sizes = sum(group.size() for group in groups)
    if sizes < MIN_POSTINGS or len(groups) < 2 or k <= 0 or any(g.weight < 0 for g in groups):
        return None  # one group: every passage it reaches scores its own, so all are candidates
    best = [group.best_own() for group in groups]  # what a row can get: never more inherited
    theta = _threshold(groups, best, layout, k, allowed, options, titles)
    weight, coverage = sum(g.weight for g in groups), options.coverage
    key, least = _keys(groups, len(layout.source), coverage), _least(theta, weight, coverage)
    if least <= 0:
        return None  # θ bounds nothing
    share = max(NEIGHBOUR_WEIGHT, 0.5) if options.inherit else 0.0
    # of a row and its neighbours, one has at least a (1 + 2 * share)th of the least
    every = np.flatnonzero(key >= least / (1 + 2 * share))
    if options.inherit:
        every = union([every, layout.previous[every], layout.next[every]], len(key))[0]
        every = every[key[every] > 0]  # a row no group reaches scores nothing
    every = every[_reach(every, key, layout, share) >= least]
    if titles is not None:  # a title lowers what its passages need
        titled = layout.rows_of(np.flatnonzero(titles))
        titled = titled[key[titled] > 0]
        need = _least(np.maximum(theta - titles[layout.source[titled]], 0.0), weight, coverage)
        every = union([every, titled[_reach(titled, key, layout, share) >= need]], len(key))[0]
    if len(every) > sizes * PAYS:  # scoring a row costs about twice reading a posting
        return None
    return every if favoured is None else union([every, favoured])[0]


def _keys(groups: Sequence[Group], n: int, coverage: bool) -> np.ndarray:
    """float64[n]: each row's key, the sum `_least` bounds (with its neighbours' shares).

    A row's score (own, plus a share of its neighbours' for groups it lacks) is at most its
    own scores summed plus ``NEIGHBOUR_WEIGHT`` (the largest share) times its neighbours'; the
    weight it covers, what it owns plus half what each neighbour owns. Without coverage a key
    is the own scores summed; with it, ``SCALE`` times them plus the weights owned over ``SCALE``.
    """
    rows, values, weights = _postings(groups)
    if not coverage:
        return np.bincount(rows, weights=values, minlength=n)
    return np.bincount(rows, weights=SCALE * values + weights / SCALE, minlength=n)


def _least(theta: np.ndarray | float, weight: float, coverage: bool) -> np.ndarray | float:
    """The least a row's `_keys` sum (with its neighbours' shares) to score ``theta``.

    Without coverage the score alone must reach θ. With it, a score s covering weight c of
    ``weight`` reaches θ only if s * (c / weight) ** p >= θ (p: `COVERAGE_POWER`), and then, by
    the weighted mean of SCALE * s / a and c / (SCALE * b) (a = 1 / (1 + p), b = p / (1 + p)),
    SCALE * s + c / SCALE >= K * (θ * weight ** p) ** a with K = (SCALE / a) ** a *
    (1 / (SCALE * b)) ** b: 2 * sqrt(θ * weight) at p = 1.
    """
    slack = 1 - 4 * SLACK  # the scores sum in another order
    if not coverage or COVERAGE_POWER <= 0:
        return theta * slack
    a = 1 / (1 + COVERAGE_POWER)
    b = 1 - a
    least = (SCALE / a) ** a * (1 / (SCALE * b)) ** b
    return least * np.power(theta * weight**COVERAGE_POWER, a) * slack


def _reach(rows: np.ndarray, key: np.ndarray, layout: PassageLayout, share: float) -> np.ndarray:
    """float64[len(rows)]: each row's key plus ``share`` of its neighbours' keys."""
    reach = key[rows]
    if share:
        for step in (layout.previous, layout.next):
            to = step[rows]
            reach = reach + share * np.where(to != rows, key[to], 0.0)  # none: itself
    return reach


def _postings(groups: Sequence[Group]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every form's and tag's rows of ``groups``, with the own score and weight each gives."""
    rows = [r for group in groups for r in group.rows()]
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0)
    values = [v for group in groups for v in group.own_values()]
    weights = [np.full(len(r), group.weight) for group in groups for r in group.rows()]
    return np.concatenate(rows), np.concatenate(values), np.concatenate(weights)


def _threshold(
    groups: Sequence[Group],
    best: Sequence[float],
    layout: PassageLayout,
    k: int,
    allowed: np.ndarray | None,
    options: RankingOptions,
    titles: np.ndarray | None,
) -> float:
    """θ: the k-th best score among a few rows likely to rank high (0 when fewer score)."""
    seed = _seed(groups, best)
    total, scores = score_rows(seed, groups, layout, options)
    if titles is not None:
        scores = scores + titles[layout.source[seed]]
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
            values = np.concatenate(group.own_values())
            rows = rows[np.argpartition(-values, budget)[:budget]]
        picked.append(rows)
        budget -= len(rows)
        if budget <= 0:
            break
    return union(picked)[0]

"""Reciprocal-rank fusion of rankings: a pure function over lists of hits."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.models import Hit

__all__ = ["RRF_K", "fuse"]

# Cormack et al. 2009 use 60, which damps the head of each ranking. Two short, already good
# rankings gain from a sharper head: k = 5 against 60 lifted hit@3 on the earlier set's
# English questions from 0.621 to 0.662 and SciFact's fused nDCG@10 from 0.716 to 0.725.
RRF_K = 5


def fuse(
    *rankings: Sequence[Hit], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[Hit]:
    """Every hit of ``rankings``, ordered by its weighted sum of ``1 / (k + rank)``.

    A hit's rank in a ranking counts from 1; a ranking that lacks it adds nothing. The
    returned hits carry the fused score. Ties break by the best rank the hit had in any
    ranking, then by its rank in the earlier rankings, then by row: the order is fully
    determined by the inputs.

    Args:
        rankings: lists of hits, best first (e.g. BM25's, then the semantic stage's).
        k: the rank offset; larger values flatten the difference between top ranks.
        weights: one per ranking (default 1.0 each).
    """
    weights = [1.0] * len(rankings) if weights is None else list(weights)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    missing = max((len(r) for r in rankings), default=0) + 1
    scores: dict[int, float] = {}
    ranks: dict[int, list[int]] = {}
    for i, (ranking, weight) in enumerate(zip(rankings, weights, strict=True)):
        for rank, hit in enumerate(ranking, start=1):
            if hit.row in ranks and ranks[hit.row][i] != missing:
                continue  # a row listed twice in one ranking counts at its best rank
            scores[hit.row] = scores.get(hit.row, 0.0) + weight / (k + rank)
            ranks.setdefault(hit.row, [missing] * len(rankings))[i] = rank
    order = sorted(scores, key=lambda row: (-scores[row], min(ranks[row]), ranks[row], row))
    return [Hit(row, scores[row]) for row in order]

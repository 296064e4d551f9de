"""BM25 blended with the semantic stage: a pure function over scored passages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from knowledge.models import Hit

__all__ = ["LEXICAL_WEIGHT", "blend"]

# The lexical ranking's share when scores are blended. Each score is first taken as a share
# of the question's best (BM25 and cosine then both run to 1). Chosen on the first question
# set's English questions: hit@1 / hit@3 0.607 / 0.800 at 0.2, 0.628 / 0.807 at 0.25, 0.614 /
# 0.800 at 0.3, against 0.572 / 0.779 for reciprocal-rank fusion (k = 5, which it replaced).
# The held-out set: hit@3 0.764 -> 0.779; SciFact's nDCG@10 through `ask` 0.7205 -> 0.7272.
# Session 14, with the learned expansions (BM25 stronger), cross-fitted on the tuning pool:
# hit@1 / hit@3 0.740 / 0.879 at 0.25, 0.766 / 0.890 at 0.4, 0.766 / 0.887 at 0.55. Session 15,
# learned from five more tuning sets: 0.800 / 0.921 at 0.4, 0.823 / 0.926 at 0.55, 0.830 / 0.925
# at 0.7 (BM25 alone 0.821 / 0.922); SciFact, which has no learned words, 0.7269 at 0.4, 0.7131
# at 0.55, 0.7055 at 0.7: 0.55 is between. Session 22 (both MiniLM pools): scores as a share of
# their range lost the pool's hit@3 (0.971 -> 0.967); 0.7 for questions met in their glossary
# English was a draw (the pool's hit@1 +0.003, the paraphrase pool's -0.001).
LEXICAL_WEIGHT = 0.55


def blend(
    lexical: Sequence[Hit], similarity: Mapping[int, float], weight: float = LEXICAL_WEIGHT
) -> list[Hit]:
    """The passages of ``lexical`` and ``similarity``, by a weighted sum of relative scores.

    A passage scores ``weight * lexical / best lexical + (1 - weight) * similarity / best
    similarity``; one missing from a side scores 0 there. Ties break by row.

    Args:
        lexical: BM25's hits (any order), with their scores.
        similarity: the semantic stage's similarity of each candidate passage, by row.
        weight: the lexical side's share, from 0 (similarity alone) to 1 (BM25 alone).
    """
    scores = {hit.row: hit.score for hit in lexical}
    best_score = max(scores.values(), default=0.0)
    best_similarity = max(similarity.values(), default=0.0)
    blended: dict[int, float] = {}
    for row in scores.keys() | similarity.keys():
        lexical_part = scores.get(row, 0.0) / best_score if best_score > 0 else 0.0
        semantic_part = similarity.get(row, 0.0) / best_similarity if best_similarity > 0 else 0.0
        blended[row] = weight * lexical_part + (1 - weight) * semantic_part
    return [Hit(row, blended[row]) for row in sorted(blended, key=lambda r: (-blended[r], r))]

"""Reciprocal-rank fusion: a pure function over rankings, with a fully determined order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.models import Hit
from knowledge.semantic import RRF_K, fuse


def ranking(*rows: int) -> list[Hit]:
    """Hits in the given order, with decreasing made-up scores."""
    return [Hit(row, 10.0 - i) for i, row in enumerate(rows)]


rankings = st.lists(st.integers(0, 30), unique=True, max_size=12).map(lambda r: ranking(*r))


def rows(hits: list[Hit]) -> list[int]:
    return [h.row for h in hits]


def test_scores_are_summed_reciprocal_ranks():
    fused = fuse(ranking(4, 7), ranking(7, 9))
    assert rows(fused) == [7, 4, 9]
    assert fused[0].score == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))
    assert fused[1].score == pytest.approx(1 / (RRF_K + 1))


@given(rankings, rankings)
def test_a_passage_top_in_both_stays_top(first: list[Hit], second: list[Hit]):
    top = 99
    fused = fuse([Hit(top, 1.0), *first], [Hit(top, 1.0), *second])
    assert fused[0].row == top


@given(rankings, rankings)
def test_every_passage_once_and_only_those_given(first: list[Hit], second: list[Hit]):
    fused = rows(fuse(first, second))
    assert len(fused) == len(set(fused))
    assert set(fused) == set(rows(first)) | set(rows(second))


@given(rankings)
def test_one_ranking_or_itself_twice_keeps_its_order(only: list[Hit]):
    assert rows(fuse(only)) == rows(only)
    assert rows(fuse(only, only)) == rows(only)


@given(rankings, rankings)
def test_the_order_is_deterministic(first: list[Hit], second: list[Hit]):
    assert fuse(first, second) == fuse(list(first), list(second))


def test_ties_break_by_best_rank_then_the_first_ranking():
    # 1 and 2 each lead one ranking: equal scores, the first ranking's leader wins
    assert rows(fuse(ranking(1, 3), ranking(2, 3)))[:2] == [3, 1]
    assert rows(fuse(ranking(1), ranking(2))) == [1, 2]
    assert rows(fuse(ranking(2), ranking(1))) == [2, 1]


def test_weights_tilt_the_fusion():
    assert rows(fuse(ranking(1), ranking(2), weights=[1.0, 2.0])) == [2, 1]
    with pytest.raises(ValueError, match="1 weights for 2 rankings"):
        fuse(ranking(1), ranking(2), weights=[1.0])


def test_nothing_to_fuse_gives_nothing():
    assert fuse() == [] and fuse([], []) == []

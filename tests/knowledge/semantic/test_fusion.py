"""BM25 blended with the semantic stage: a pure function with a fully determined order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.models import Hit
from knowledge.semantic import LEXICAL_WEIGHT, blend


def ranking(*rows: int) -> list[Hit]:
    """Hits in the given order, with decreasing made-up scores."""
    return [Hit(row, 10.0 - i) for i, row in enumerate(rows)]


rankings = st.lists(st.integers(0, 30), unique=True, max_size=12).map(lambda r: ranking(*r))


def rows(hits: list[Hit]) -> list[int]:
    return [h.row for h in hits]


similarities = st.dictionaries(st.integers(0, 30), st.floats(0.0, 1.0), max_size=12)


def test_blend_weighs_each_score_as_a_share_of_the_best():
    lexical = [Hit(1, 10.0), Hit(2, 5.0)]
    blended = blend(lexical, {1: 0.1, 2: 0.4}, weight=0.5)
    assert rows(blended) == [2, 1]  # 0.5 * 0.5 + 0.5 * 1.0 against 0.5 * 1.0 + 0.5 * 0.25
    assert blended[0].score == pytest.approx(0.75)
    assert blended[1].score == pytest.approx(0.625)


def test_blend_counts_a_side_that_lacks_a_passage_as_zero():
    # 3 is close in meaning but shares no word: under half the weight on BM25, the semantic
    # side alone lifts it over 1; at the shipped share (over a half) it comes second
    blended = blend([Hit(1, 4.0)], {1: 0.1, 3: 0.5}, weight=0.4)
    assert rows(blended) == [3, 1]
    assert blended[0].score == pytest.approx(0.6)
    shipped = blend([Hit(1, 4.0)], {1: 0.1, 3: 0.5})
    assert rows(shipped) == [1, 3] and shipped[1].score == pytest.approx(1 - LEXICAL_WEIGHT)


@given(rankings, similarities)
def test_blend_lists_every_passage_of_either_side_once(lexical: list[Hit], similar: dict):
    blended = rows(blend(lexical, similar))
    assert len(blended) == len(set(blended))
    assert set(blended) == set(rows(lexical)) | set(similar)


@given(rankings)
def test_blend_with_all_weight_on_bm25_keeps_its_order(lexical: list[Hit]):
    assert rows(blend(lexical, {}, weight=1.0)) == rows(lexical)


@given(similarities)
def test_blend_with_no_weight_on_bm25_orders_by_similarity(similar: dict):
    expected = sorted(similar, key=lambda row: (-similar[row], row))
    assert rows(blend([], similar, weight=0.0)) == expected


@given(rankings, similarities)
def test_a_passage_best_on_both_sides_comes_first(lexical: list[Hit], similar: dict):
    top = 99
    blended = blend([Hit(top, 11.0), *lexical], {**similar, top: 1.0})
    assert blended[0].row == top


def test_nothing_to_blend_gives_nothing():
    assert blend([], {}) == []

"""Ranking feature switches: every feature off is rank-bm25; `eval --ablate` reports each."""

from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from knowledge.ablation import ablate, configurations, format_ablation
from knowledge.answer import passage_tokens
from knowledge.evaluation import EvalItem
from knowledge.features import FEATURES, PRODUCT, RankingOptions

QUESTIONS = [
    "What does Russia demand from Ukraine?",
    "who mediates the negotiations between kyiv and moscow",
    "Minsk agreements 2015 ceasefire outcome",
    "Erdogan hosts talks in Istanbul, what did the delegations agree about prisoners?",
    "humanitarian corridors civilians",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_feature_off_is_rank_bm25(shipped, question):
    plain = shipped.with_options(RankingOptions.plain())
    query = plain.query(question)
    hits = plain.rank(query, 10)
    expected = BM25Okapi([passage_tokens(p) for p in shipped.passages]).get_scores(query.tokens)
    top = sorted(np.flatnonzero(expected > 0), key=lambda r: (-expected[r], r))[:10]
    assert [h.row for h in hits] == top
    np.testing.assert_allclose([h.score for h in hits], expected[top], rtol=1e-9)


def test_plain_query_keeps_the_questions_own_tokens(shipped):
    query = shipped.with_options(RankingOptions.plain()).query("What did Erdogan say?")
    assert query.tokens == ["erdogan", "say"]  # no filler removal, no variants, no synonyms


def test_a_feature_switch_changes_the_ranking(shipped):
    question = "russian demands"
    full = [h.row for h in shipped.rank(shipped.query(question), 10)]
    plain = shipped.with_options(RankingOptions.plain())
    assert [h.row for h in plain.rank(plain.query(question), 10)] != full


def test_unknown_feature_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown ranking feature 'stemming'"):
        PRODUCT.without("stemming")


def test_configurations_switch_one_feature_off_at_a_time():
    names = [name for name, _ in configurations()]
    assert names == ["full", *(f"-{f}" for f in FEATURES), "plain bm25"]
    for (name, options), feature in zip(configurations()[1:-1], FEATURES, strict=True):
        assert [f for f in FEATURES if not getattr(options, f)] == [feature], name


def test_ablation_table_has_a_row_per_configuration(shipped):
    items = [
        EvalItem("a", "What does Russia demand?", "answer", evidence=("Russia",)),
        EvalItem("b", "chocolate chip cookie recipe", "no_answer"),
    ]
    rows = ablate(items, shipped)
    table = format_ablation(rows).splitlines()
    assert len(table) == len(FEATURES) + 3 and table[1].startswith("full")
    assert rows[0].metrics["no_answer_accuracy"] == 1.0
    assert rows[-1].to_json()["off"] == list(FEATURES)

"""The semantic stage's best-passage similarity feeds the one answer-or-refuse decision."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from knowledge.decision import CALIBRATED, MINILM_SIMILARITY, with_similarity
from knowledge.semantic import attach_semantic

QUESTION = "ceasefire talks in Geneva"


def test_a_similarity_below_the_bar_refuses(tmp_path: Path, kb, model_dir):
    attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    barred = attached.with_thresholds(with_similarity(MINILM_SIMILARITY))
    query = barred.query(QUESTION)
    match = attached.semantic.match(QUESTION, 8)
    assert barred.search(query, 8, match=replace(match, best=MINILM_SIMILARITY - 0.01)) == []
    assert barred.search(query, 8, match=replace(match, best=MINILM_SIMILARITY))
    no_bar = replace(match, best=0.0)
    assert attached.search(query, 8, match=no_bar)  # no bar configured: BM25's thresholds


def test_no_bar_keeps_the_bm25_thresholds():
    assert with_similarity(0.0) == CALIBRATED
    assert with_similarity(0.4).min_similarity == 0.4


def test_ask_weighs_the_similarity_of_the_closest_passage(tmp_path: Path, kb, model_dir):
    attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    best = attached.semantic.match(QUESTION, 8).best
    above = attached.with_thresholds(with_similarity(best - 0.01))
    below = attached.with_thresholds(with_similarity(min(best + 0.01, 0.99)))
    assert above.ask(QUESTION).answered and not below.ask(QUESTION).answered


def test_a_close_meaning_vouches_for_a_match_of_one_word(tmp_path: Path, kb, model_dir):
    """One word in common is a coincidence, unless the passage is also close in meaning."""
    attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    thresholds = with_similarity(MINILM_SIMILARITY)
    barred = attached.with_thresholds(thresholds)
    question = "Geneva lakeside promenade walks"
    query = barred.query(question)
    match = attached.semantic.match(question, 8)
    assert barred.signals(query, barred.rank(query, 8)).matched == 1
    vouching = replace(match, best=thresholds.confirming_similarity)
    answered = barred.search(query, 8, match=vouching)
    assert [barred.passages[h.row].text for h in answered] == [
        "The ceasefire talks resumed on Monday in Geneva."
    ]
    not_close = replace(match, best=thresholds.confirming_similarity - 0.01)
    assert barred.search(query, 8, match=not_close) == []
    assert kb.search(query, 8) == []  # BM25 alone refuses the coincidence

"""Threshold calibration: the most out-of-scope refusals within the answerable budget."""

from __future__ import annotations

from bench.calibrate import cross_fitted, refused, search
from knowledge.answer import Knowledge
from knowledge.decision import Signals, Thresholds
from knowledge.evaluation import EvalItem
from knowledge.sources import load_sources
from tests.bench.test_associations import TEXTS
from tests.knowledge.conftest import write_source


def test_the_best_thresholds_refuse_most_out_of_scope_within_the_budget():
    answerable = [Signals(0.5, u, matched=2) for u in (0.0, 0.1, 0.2, 0.3, 0.9)]
    outside = [Signals(0.5, u, matched=2) for u in (0.5, 0.6, 0.95)]
    found = search(answerable, outside, [], max_refused=0.2, max_beir=0.0)
    oos, lost, lost_beir, best = found[0]
    assert (oos, lost, lost_beir) == (1.0, 0.2, 0.0)
    assert refused(outside, best) == 1.0 and refused(answerable, best) == 0.2


def test_a_corpus_that_must_be_answered_limits_the_thresholds():
    answerable = [Signals(0.5, 0.0, matched=2)]
    outside = [Signals(0.3, 0.6, matched=2)]
    beir = [Signals(0.5, 0.55, matched=2)]
    found = search(answerable, outside, beir, max_refused=0.0, max_beir=0.0)
    assert all(lost_beir == 0.0 for _, _, lost_beir, _ in found)
    assert refused(beir, Thresholds(max_unknown=0.5)) == 1.0


def test_the_one_word_match_bar_separates_what_the_unknown_share_alone_cannot():
    answerable = [Signals(0.4, 0.6, matched=3), Signals(0.5, 0.1, matched=1)]
    outside = [Signals(0.3, 0.6, matched=1)]
    oos, lost, _, best = search(answerable, outside, [], max_refused=0.0, max_beir=0.0)[0]
    assert (oos, lost) == (1.0, 0.0)
    assert best.max_unknown_one_match < 0.6 <= best.max_unknown


def test_the_number_or_date_rule_is_kept_only_when_it_costs_no_more_than_the_budget():
    asks = Signals(0.6, 0.0, matched=3, quantity_missing=True)
    plain = Signals(0.6, 0.0, matched=3)
    best = search([plain], [asks], [], max_refused=0.0, max_beir=0.0)[0][3]
    assert best.require_quantity
    best = search([plain, asks], [asks], [], max_refused=0.0, max_beir=0.0)[0][3]
    assert not best.require_quantity


def test_cross_fitted_signals_use_what_was_learned_on_the_other_sets(tmp_path):
    for name, text in TEXTS.items():
        write_source(tmp_path, f"{name}.md", name.title(), text)
    kb = Knowledge.build(load_sources([tmp_path]).sources)
    taught = [
        EvalItem("a1", "why are the sides worried", "answer", evidence=("Deep mistrust",)),
        EvalItem("a2", "what worried the delegations", "answer", evidence=("Mistrust of",)),
    ]
    # no passage holds set 2's evidence: it teaches nothing
    asked = [EvalItem("b1", "who is worried", "answer", evidence=("Nothing like this",))]
    answerable, outside = cross_fitted(kb, [taught, asked])
    assert outside == []
    # set 2's question meets what set 1 taught ("worried" -> "mistrust", and "worried" as a
    # learned word of the passages); set 1's own questions do not
    assert answerable[2].unknown == 0.0
    assert all(s.unknown > 0.0 for s in answerable[:2])

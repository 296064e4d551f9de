"""Calibrate the answer-or-refuse thresholds (`knowledge.decision`) on a tuning question set.

    python -m bench.calibrate TUNE.yaml... [--cross-fit] [--beir ../shared/ir/scifact]
        [--max-refused 0.03]

Computes the decision's signals for every answerable and every out-of-scope question of the
set (and, with ``--beir``, for every test query of that corpus loaded as in `bench.beir`),
then tries every combination of thresholds drawn from the observed values and prints the
best: most out-of-scope questions refused while at most ``--max-refused`` of the answerable
ones (and at most ``--max-beir-refused`` of the BEIR queries) are. The minimum coverage stays
0 (refuse only when nothing matches): a higher bar never refused more out-of-scope questions.

With ``--cross-fit`` each set's signals come from associations, expansions and out-of-scope
words (`bench.associations`, `bench.expansions`, `bench.out_of_scope`) learned on the other
sets only, as a question never seen meets them; without it, from the shipped files, which
have learned from the tuning sets themselves and make their questions look more answerable
than new ones are.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import knowledge
from bench.associations import learn
from bench.beir import read_queries, write_kb
from bench.expansions import expansions_of, learn_words
from bench.learning import UNLEARNED, linked
from bench.out_of_scope import learn_out_of_scope, unanswered
from knowledge.decision import (
    CALIBRATED,
    Signals,
    Thresholds,
    decide,
    names_unknown,
    vouching_similarity,
)
from knowledge.evaluation import EvalItem, load_questions
from knowledge.snapshot import load_cached

OUT_OF_SCOPE_BARS = (1.0, 0.0, 0.05, 0.1, 0.13, 0.2, 0.3)  # the share of such words refused above
STEPS = 25  # candidate values per threshold (quantiles of what was observed)
FEW = 11  # for the bars that apply to a subset (an unknown name, one word matched)


def signals_of(kb: knowledge.Knowledge, questions: Sequence[str]) -> list[Signals]:
    """The decision's signals for each question, as `Knowledge.search` computes them."""
    out = []
    for text in questions:
        query = kb.query(text)
        match = kb.semantic_match(text, query, 10)
        out.append(kb.signals(query, kb.rank(query, 10), match))
    return out


def cross_fitted(
    kb: knowledge.Knowledge, sets: Sequence[Sequence[EvalItem]]
) -> tuple[list[Signals], list[Signals]]:
    """Signals of the answerable and the out-of-scope questions of each set, with associations,
    expansions and out-of-scope words and questions learned on the other sets."""
    answerable: list[Signals] = []
    outside: list[Signals] = []
    unlearned = kb.with_options(UNLEARNED)
    for i, items in enumerate(sets):
        others = [item for j, other in enumerate(sets) if j != i for item in other]
        learned = expansions_of(unlearned, learn_words(unlearned, others))
        words, asked = learn_out_of_scope(unlearned, others), unanswered(unlearned, others)
        fold = linked(kb, learn(unlearned, others), learned, words, asked)
        answerable += signals_of(fold, [q.question for q in items if q.expect == "answer"])
        outside += signals_of(fold, [q.question for q in items if q.expect == "no_answer"])
    return answerable, outside


def refused(signals: Sequence[Signals], thresholds: Thresholds) -> float:
    """Share of ``signals`` that ``decide`` refuses."""
    return sum(not decide(s, thresholds).answer for s in signals) / max(len(signals), 1)


def candidates(values: Sequence[float], steps: int = STEPS) -> list[float]:
    """Threshold values to try: quantiles of the observed values."""
    return sorted(set(np.quantile(values, np.linspace(0, 1, steps)).round(3).tolist()))


def search(
    answerable: Sequence[Signals],
    outside: Sequence[Signals],
    beir: Sequence[Signals],
    max_refused: float,
    max_beir: float,
) -> list[tuple[float, float, float, Thresholds]]:
    """(out-of-scope refused, answerable refused, BEIR refused, thresholds), best first."""
    every = [*answerable, *outside]
    similar = [s.similarity for s in every if s.similarity is not None]
    grid = itertools.product(
        [1.0, *candidates([s.unknown for s in every])],
        [1.0, *candidates([s.unknown for s in every if names_unknown(s)] or [1.0], FEW)],
        [1.0, *candidates([s.unknown for s in every if s.matched <= 1] or [1.0], FEW)],
        [0.0, *(candidates(similar) if similar else [])],
        [True, False],
        OUT_OF_SCOPE_BARS,
    )
    found = []
    for unknown, named, one_match, similarity, quantity, learned_bar in grid:
        t = Thresholds(
            max_unknown=unknown,
            max_unknown_named=named,
            min_name_share=CALIBRATED.min_name_share,
            min_similarity=similarity,
            confirming_similarity=vouching_similarity(similarity),
            max_unknown_one_match=one_match,
            require_quantity=quantity,
            max_out_of_scope=learned_bar,
        )
        lost = refused(answerable, t)
        if lost > max_refused:
            continue
        lost_beir = refused(beir, t) if beir else 0.0
        if lost_beir <= max_beir:
            found.append((refused(outside, t), lost, lost_beir, t))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    return found


def with_model(
    kb: knowledge.Knowledge, args: argparse.Namespace, cache: Path
) -> knowledge.Knowledge:
    """``kb`` with the semantic stage of ``--semantic`` attached (vectors cached in ``cache``)."""
    if not args.semantic:
        return kb
    from knowledge.semantic import attach_semantic

    languages = tuple(args.languages.split(","))
    return attach_semantic(kb, args.semantic, cache, languages)  # BM25's thresholds


def main(argv: Sequence[str] | None = None) -> int:
    """Print the signal ranges and the best thresholds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("questions", type=Path, nargs="+", help="tuning question sets")
    parser.add_argument(
        "--cross-fit", action="store_true", help="associations learned on the other sets"
    )
    parser.add_argument("--beir", type=Path, help="a BEIR folder whose queries must be answered")
    parser.add_argument("--kb", type=Path, default=Path("../scifact_kb"))
    parser.add_argument("--cache", type=Path, default=Path("../scifact_cache"))
    parser.add_argument("--semantic", help="a sentence-embedding model (name or folder)")
    parser.add_argument("--languages", default="en", help="languages the model serves")
    parser.add_argument("--max-refused", type=float, default=0.03)
    parser.add_argument("--max-beir-refused", type=float, default=0.02)
    args = parser.parse_args(argv)
    if args.cross_fit and args.semantic:
        parser.error("--cross-fit calibrates BM25's bars: leave out --semantic")
    sets = [load_questions(path) for path in args.questions]
    shipped = with_model(knowledge.load(), args, Path("../quality_cache/shipped"))
    if args.cross_fit:
        answerable, outside = cross_fitted(shipped, sets)
    else:
        items = [item for items in sets for item in items]
        answerable = signals_of(shipped, [i.question for i in items if i.expect == "answer"])
        outside = signals_of(shipped, [i.question for i in items if i.expect == "no_answer"])
    beir: list[Signals] = []
    if args.beir:
        write_kb(args.beir, args.kb)
        other = with_model(load_cached([args.kb], args.cache), args, args.cache)
        beir = signals_of(other, [text for _, text, _ in read_queries(args.beir, "test")])
    for name, group in (("answerable", answerable), ("out of scope", outside), ("beir", beir)):
        for signal in ("coverage", "unknown", "matched", "similarity"):
            values = [getattr(s, signal) for s in group if getattr(s, signal) is not None]
            if values:
                q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95]).round(2).tolist()
                print(f"{name:<13}{signal:<10} p5/25/50/75/95 {q}")
    found = search(answerable, outside, beir, args.max_refused, args.max_beir_refused)
    print(f"{'oos refused':>12}{'ans refused':>12}{'beir refused':>13}  thresholds")
    for oos, lost, lost_beir, t in list(dict.fromkeys(found))[:10]:
        print(f"{oos:>12.3f}{lost:>12.3f}{lost_beir:>13.3f}  {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

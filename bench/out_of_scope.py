"""Learn ``out_of_scope.yaml`` (`knowledge.out_of_scope`) from tuning question sets.

    python -m bench.out_of_scope SET.yaml [SET.yaml ...] [--dirs DIR ...] [--out FILE]
    python -m bench.out_of_scope SET.yaml ... --evaluate OTHER.yaml ...

A word no source uses is listed when two or more out-of-scope questions of the sets use it, at
a rate `MIN_ODDS` (natural log) above the answerable questions' rate, each count plus one: with
the tuning pool's 1,529 answerable and 365 out-of-scope questions, a word of two or more out-
of-scope questions and no answerable one (or 6+ and one). With few answerable questions nothing
is learned: a word's absence from them says little. Never give it a held-out set: what it
learns is reported on that set. The out-of-scope questions are written too, as their search
words (`knowledge.precedents`). ``--dirs`` learns for an operator's own knowledge folders
(default: the shipped corpus); the file goes in the first of them. ``--evaluate`` writes
nothing: it prints the other sets' figures with the associations and expansions learned on
these, without and with the out-of-scope words (the cross-fitting that decided the rule).
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import knowledge
from bench.associations import learn
from bench.expansions import expansions_of, learn_words
from bench.learning import (
    UNLEARNED,
    compare,
    emit,
    learned_by,
    learner_parser,
    linked,
    questions,
    spellings,
)
from knowledge.evaluation import EvalItem

MIN_ODDS = 2.5  # cross-fitted on the pool: 2.0 refused 0.035 of the answerable questions
MIN_QUESTIONS = 2  # out-of-scope questions that must use the word


def learn_out_of_scope(kb: knowledge.Knowledge, items: Sequence[EvalItem]) -> list[str]:
    """The stems no source uses that out-of-scope questions use far more than answerable ones."""
    asked: dict[str, Counter[str]] = {"answer": Counter(), "no_answer": Counter()}
    for item in items:
        if item.expect in asked:
            asked[item.expect].update(set(kb.query(item.question).terms))
    answered, outside = asked["answer"], asked["no_answer"]
    total_answered = sum(item.expect == "answer" for item in items) + 2
    total_outside = sum(item.expect == "no_answer" for item in items) + 2

    def odds(term: str) -> float:
        inside = (answered[term] + 1) / total_answered
        return math.log((outside[term] + 1) / total_outside / inside)

    return sorted(
        t
        for t, n in outside.items()
        if n >= MIN_QUESTIONS and t not in kb.index and odds(t) >= MIN_ODDS
    )


def unanswered(kb: knowledge.Knowledge, items: Sequence[EvalItem]) -> list[tuple[str, ...]]:
    """The search words of each out-of-scope question (sorted), in order."""
    found = (sorted(set(kb.query(i.question).terms)) for i in items if i.expect == "no_answer")
    return [tuple(terms) for terms in found if terms]


def render(
    words: Sequence[str],
    asked: Sequence[Sequence[str]],
    spelled: dict[str, str],
    sets: Sequence[Path],
) -> str:
    """The YAML file: the sorted spelled-out words, then one line per out-of-scope question."""
    lines = [
        learned_by("bench.out_of_scope", sets, "knowledge/out_of_scope.py"),
        "# A question using one of these words, when no source uses it, is refused; so is one",
        "# worded like the questions below (knowledge/precedents.py). Regenerate after the",
        "# question sets or the shipped corpus change.",
        "words:",
    ]
    lines += sorted(f"  - {spelled[w]}" for w in words if w in spelled)
    lines.append("questions:")
    written = ([spelled[t] for t in terms if t in spelled] for terms in asked)
    lines += [f"  - [{', '.join(words)}]" for words in written if words]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print (or write to ``--out``) the out-of-scope words learned from the question sets."""
    args = learner_parser(__doc__ or "").parse_args(argv)
    items = questions(args.sets)
    kb = knowledge.load(args.dirs).with_options(UNLEARNED)
    words = learn_out_of_scope(kb, items)
    if args.evaluate:
        links, learned = learn(kb, items), expansions_of(kb, learn_words(kb, items))
        searches = {
            "learned": linked(kb, links, learned),
            "+ words": linked(kb, links, learned, words),
            "+ questions": linked(kb, links, learned, words, unanswered(kb, items)),
        }
        sys.stdout.write(compare(searches, questions(args.evaluate)))
        return 0
    spelled = spellings([i.question for i in items], cyrillic=True)
    emit(render(words, unanswered(kb, items), spelled, args.sets), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Learn ``associations.yaml`` (`knowledge.associations`) from tuning question sets.

    python -m bench.associations SET.yaml [SET.yaml ...] [--dirs DIR ...] [--out FILE]
    python -m bench.associations SET.yaml ... --evaluate OTHER.yaml ...

For every answerable question, the passages holding its evidence are the ones that answer
it. A question word those passages lack is linked to the words they have and the question
lacks; a link is kept when at least ``--min-questions`` questions make it and the word is at
least ``--min-lift`` times likelier in their answers than in the average passage, at most
``--top`` per question word, strongest first. Words are written as the sources or questions
spell them and read back through the tokenizer, so the file stays readable. Never give it the
held-out set: what it learns is reported on that set. ``--dirs`` learns for an operator's own
knowledge folders (default: the shipped corpus); the file goes in the first of them.
``--evaluate`` writes nothing: it prints the other sets' figures with the associations learned
on these and without any, as a question never seen meets them (the cross-fitting that chose
the settings).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import knowledge
from bench.learning import (
    UNLEARNED,
    answered,
    compare,
    emit,
    learned_by,
    learner_parser,
    linked,
    questions,
    spellings,
)
from knowledge.evaluation import EvalItem
from knowledge.ingest import passage_tokens

MIN_QUESTIONS = 2  # questions that must make a link
MIN_LIFT = 3.0  # how much likelier the word is in their answers than in any passage
TOP = 5  # links kept per question word


def learn(
    kb: knowledge.Knowledge,
    items: Sequence[EvalItem],
    min_questions: int = MIN_QUESTIONS,
    min_lift: float = MIN_LIFT,
    top: int = TOP,
) -> dict[str, list[str]]:
    """Question stem -> the passage stems its answers use, strongest first."""
    tokens = [set(passage_tokens(p)) for p in kb.passages]
    share = Counter(t for found in tokens for t in found)  # passages holding each term
    asked: Counter[str] = Counter()
    together: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for terms, rows in answered(kb, items):
        answered_terms = set().union(*(tokens[r] for r in rows))
        for term in terms:
            asked[term] += 1
            if term not in answered_terms:
                together[term].update(answered_terms - terms)
    links = {}
    for term, counts in together.items():
        lifts = [
            (count / asked[term] * len(tokens) / share[word], word)
            for word, count in counts.items()
            if count >= min_questions
        ]
        kept = [
            word for lift, word in sorted(lifts, key=lambda x: (-x[0], x[1])) if lift >= min_lift
        ]
        if kept:
            links[term] = kept[:top]
    return links


def render(links: dict[str, list[str]], spelled: dict[str, str], sets: Sequence[Path]) -> str:
    """The YAML file: one spelled-out line per question word, sorted."""
    lines = [
        learned_by("bench.associations", sets, "knowledge/associations.py"),
        "# A question word (key) also matches these words of the sources, at the synonym",
        "# discount. Regenerate after the question sets or the shipped corpus change.",
    ]
    for term in sorted(links, key=lambda t: spelled.get(t, "")):
        if term not in spelled:
            continue
        words = [spelled[w] for w in links[term] if w in spelled]
        if words:
            lines.append(f"{spelled[term]}: [{', '.join(words)}]")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print (or write to ``--out``) the associations learned from the question sets."""
    parser = learner_parser(__doc__ or "")
    parser.add_argument("--min-questions", type=int, default=MIN_QUESTIONS)
    parser.add_argument("--min-lift", type=float, default=MIN_LIFT)
    parser.add_argument("--top", type=int, default=TOP)
    args = parser.parse_args(argv)
    items = questions(args.sets)
    kb = knowledge.load(args.dirs).with_options(UNLEARNED)
    links = learn(kb, items, args.min_questions, args.min_lift, args.top)
    if args.evaluate:
        others = questions(args.evaluate)
        sys.stdout.write(compare({"without": kb, "learned": linked(kb, links)}, others))
        return 0
    spelled = spellings([*(p.text for p in kb.passages), *(i.question for i in items)])
    emit(render(links, spelled, args.sets), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

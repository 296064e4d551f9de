"""Learn ``expansions.yaml`` (`knowledge.expansions`) from tuning question sets.

    python -m bench.expansions SET.yaml [SET.yaml ...] [--dirs DIR ...] [--out FILE]
    python -m bench.expansions SET.yaml ... --evaluate OTHER.yaml ...

Every answerable question adds its search words to the passages holding its evidence, once
per question ("document expansion" with the questions people asked). A passage is named by
its source id and its opening words (the fewest, from six, that no other passage of its source
starts the same way); words are written as the sources or questions spell them and read back
through the tokenizer. Never give it a held-out set: what it learns is reported on that set.
``--dirs`` learns for an operator's own knowledge folders (default: the shipped corpus); the
file goes in the first of them. ``--evaluate`` writes nothing: it prints the other sets'
figures with nothing learned, with the associations learned on these, and with both (the
cross-fitting that decided the expansions).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from pathlib import Path

import knowledge
from bench.associations import learn
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
from knowledge.evaluation import EvalItem, fold
from knowledge.expansions import Expansions
from knowledge.models import Passage

OPENING_WORDS = 6  # the fewest opening words that name a passage


def learn_words(kb: knowledge.Knowledge, items: Sequence[EvalItem]) -> dict[int, Counter[str]]:
    """Passage row -> how many answerable questions it answered used each search word."""
    words: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for terms, rows in answered(kb, items):
        for row in rows:
            words[row].update(terms)
    return dict(words)


def opening(passage: Passage, siblings: Sequence[Passage]) -> str:
    """The fewest opening words of ``passage`` (at least `OPENING_WORDS`) that no other passage
    of its source holds."""
    words = passage.text.split()
    others = [fold(p.text) for p in siblings if p.id != passage.id]
    for n in range(OPENING_WORDS, len(words) + 1):
        start = " ".join(words[:n])
        if not any(fold(start) in other for other in others):
            return start
    return " ".join(words)


def openings(kb: knowledge.Knowledge, rows: Collection[int]) -> dict[int, str]:
    """Each of ``rows``' passages named by its `opening` words (its source's passages read once)."""
    wanted = {kb.passages[row].source_id for row in rows}
    siblings: defaultdict[str, list[Passage]] = defaultdict(list)
    for passage in kb.passages:
        if passage.source_id in wanted:
            siblings[passage.source_id].append(passage)
    return {row: opening(kb.passages[row], siblings[kb.passages[row].source_id]) for row in rows}


def expansions_of(kb: knowledge.Knowledge, words: dict[int, Counter[str]]) -> Expansions:
    """``words`` as the index reads them (for measuring without writing a file)."""
    by_source: defaultdict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    named = openings(kb, words)
    for row, counts in words.items():
        tokens = tuple(t for t, n in sorted(counts.items()) for _ in range(n))
        by_source[kb.passages[row].source_id].append((fold(named[row]), tokens))
    return Expansions({source: tuple(found) for source, found in by_source.items()})


def render(
    kb: knowledge.Knowledge,
    words: dict[int, Counter[str]],
    spelled: dict[str, str],
    sets: Sequence[Path],
) -> str:
    """The YAML file: per source, one line per passage (its opening words: word counts)."""
    lines = [
        learned_by("bench.expansions", sets, "knowledge/expansions.py"),
        "# A passage (named by its opening words) is also indexed by the words of the questions",
        "# it answered, each as often as questions used it. Regenerate after the question sets",
        "# or the shipped corpus change.",
    ]
    by_source: defaultdict[str, list[str]] = defaultdict(list)
    named = openings(kb, words)
    for row in sorted(words):
        passage = kb.passages[row]
        counts = sorted(
            ((spelled[t], n) for t, n in words[row].items() if t in spelled),
            key=lambda x: (-x[1], x[0]),
        )
        if counts:
            shown = ", ".join(f"{word}: {n}" for word, n in counts)
            by_source[passage.source_id].append(
                f"  {json.dumps(named[row], ensure_ascii=False)}: {{{shown}}}"
            )
    for source_id in sorted(by_source):
        lines += [f"{json.dumps(source_id)}:", *by_source[source_id]]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print (or write to ``--out``) the expansions learned from the question sets."""
    args = learner_parser(__doc__ or "").parse_args(argv)
    items = questions(args.sets)
    kb = knowledge.load(args.dirs).with_options(UNLEARNED)
    words = learn_words(kb, items)
    if args.evaluate:
        links = learn(kb, items)
        searches = {
            "without": linked(kb, {}),
            "assoc.": linked(kb, links),
            "both": linked(kb, links, expansions_of(kb, words)),
        }
        sys.stdout.write(compare(searches, questions(args.evaluate)))
        return 0
    spelled = spellings([*(p.text for p in kb.passages), *(i.question for i in items)])
    emit(render(kb, words, spelled, args.sets), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Learn ``expansions.yaml`` (`knowledge.expansions`) from tuning question sets.

    python -m bench.expansions SET.yaml [SET.yaml ...] [--dirs DIR ...] [--out FILE]
    python -m bench.expansions SET.yaml ... --evaluate OTHER.yaml ...

Every answerable question adds its search words to the passages holding its evidence, as one
list per question ("document expansion" with the questions people asked; the lists are also
`knowledge.precedents`), under the sentence holding its evidence. A passage is named by
its source id and its opening words (the fewest, from six, that no other passage of its source
starts the same way), a sentence by its opening words (the fewest, from four, that no other
sentence of its passage starts with); words are written as the sources or questions spell
them and read back through the tokenizer. Never give it a held-out set: what it learns is
reported on that set.
``--dirs`` learns for an operator's own knowledge folders (default: the shipped corpus); the
file goes in the first of them. ``--evaluate`` writes nothing: it prints the other sets'
figures with nothing learned, with the associations learned on these, and with both (the
cross-fitting that decided the expansions).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Collection, Sequence
from pathlib import Path

import knowledge
from bench.associations import learn
from bench.learning import (
    UNLEARNED,
    answered,
    compare,
    emit,
    evidenced,
    learned_by,
    learner_parser,
    linked,
    questions,
    spellings,
)
from knowledge.evaluation import EvalItem, fold
from knowledge.expansions import Expansions
from knowledge.models import Passage
from knowledge.passages import sentence_spans

OPENING_WORDS = 6  # the fewest opening words that name a passage
SENTENCE_WORDS = 4  # the fewest opening words that name a sentence of a passage


Asked = dict[int, list[tuple[str, ...]]]  # passage row -> its questions' search words
Where = dict[int, list[int]]  # passage row -> each question's sentence (`sentence_spans`; -1)


def learn_words(kb: knowledge.Knowledge, items: Sequence[EvalItem]) -> Asked:
    """Passage row -> the search words of each answerable question it answered (sorted)."""
    asked: defaultdict[int, list[tuple[str, ...]]] = defaultdict(list)
    for terms, rows in answered(kb, items):
        for row in rows:
            asked[row].append(tuple(sorted(terms)))
    return dict(asked)


def learn_sentences(kb: knowledge.Knowledge, items: Sequence[EvalItem]) -> Where:
    """Passage row -> the sentence holding the evidence of each question `learn_words` lists
    for it, in its order: its index in the passage's `sentence_spans` (-1: none holds it)."""
    where: defaultdict[int, list[int]] = defaultdict(list)
    for item, rows in evidenced(kb, items):
        phrases = [fold(e) for e in item.evidence]
        for row in rows:
            text = kb.passages[row].text
            held = [any(p in fold(text[a:b]) for p in phrases) for a, b in sentence_spans(text)]
            where[row].append(held.index(True) if True in held else -1)
    return dict(where)


def sentence_openings(passage: Passage) -> list[str]:
    """Each sentence of ``passage`` named by its fewest opening words (at least
    `SENTENCE_WORDS`) that no other sentence of it starts with."""
    texts = [passage.text[a:b].strip() for a, b in sentence_spans(passage.text)]
    named = []
    for i, text in enumerate(texts):
        words = text.split()
        others = [fold(t) for j, t in enumerate(texts) if j != i]
        n = SENTENCE_WORDS
        while n < len(words) and any(o.startswith(fold(" ".join(words[:n]))) for o in others):
            n += 1
        named.append(" ".join(words[:n]))
    return named


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


def expansions_of(kb: knowledge.Knowledge, asked: Asked, where: Where | None = None) -> Expansions:
    """``asked`` (answered in the sentences ``where``) as the index reads it (for measuring
    without writing a file)."""
    by_source: defaultdict[str, dict[str, list[tuple[str, ...]]]] = defaultdict(dict)
    sentences: defaultdict[str, dict[str, list[str]]] = defaultdict(dict)
    named = openings(kb, asked)
    for row, terms in asked.items():
        passage = kb.passages[row]
        by_source[passage.source_id][fold(named[row])] = terms
        if where is not None:
            said = sentence_openings(passage)
            found = [fold(said[i]) if i >= 0 else "" for i in where[row]]
            sentences[passage.source_id][fold(named[row])] = found
    return Expansions.of_questions(by_source, sentences)


def render(
    kb: knowledge.Knowledge,
    asked: Asked,
    spelled: dict[str, str],
    sets: Sequence[Path],
    where: Where | None = None,
) -> str:
    """The YAML file: per source and passage (its opening words), and per sentence that
    answered (its opening words, "" for none found) when ``where`` is given, one line per
    question."""
    lines = [
        learned_by("bench.expansions", sets, "knowledge/expansions.py"),
        "# A passage (named by its opening words) is also indexed by the words of the questions",
        "# it answered, one list per question, under the sentence (named by its opening words)",
        "# that answered it. Regenerate after the question sets or the shipped corpus change.",
    ]
    by_source: defaultdict[str, list[str]] = defaultdict(list)
    named = openings(kb, asked)
    for row in sorted(asked):
        passage = kb.passages[row]
        said = sentence_openings(passage)
        groups: defaultdict[str, list[str]] = defaultdict(list)
        for n, terms in enumerate(asked[row]):
            words = [spelled[t] for t in terms if t in spelled]
            at = where[row][n] if where is not None else -1
            if words:
                groups[said[at] if at >= 0 else ""].append(f"[{', '.join(words)}]")
        if not groups:
            continue
        by_source[passage.source_id] += [f"  {json.dumps(named[row], ensure_ascii=False)}:"]
        if where is None:
            by_source[passage.source_id] += [f"    - {q}" for q in groups[""]]
            continue
        order = {text: i for i, text in enumerate(["", *said])}
        for sentence in sorted(groups, key=order.__getitem__):
            by_source[passage.source_id] += [f"    {json.dumps(sentence, ensure_ascii=False)}:"]
            by_source[passage.source_id] += [f"      - {q}" for q in groups[sentence]]
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
    texts = [*(p.text for p in kb.passages), *(i.question for i in items)]
    where = learn_sentences(kb, items)
    emit(render(kb, words, spellings(texts, cyrillic=True), args.sets, where), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Learn ``precedents.yaml`` (`knowledge.semantic.precedents`) from tuning question sets.

    python -m bench.precedents SET.yaml [SET.yaml ...] [--dirs DIR ...] [--out FILE]

Every answerable question is written as asked under each passage holding its evidence (named
as `bench.expansions` names them, by its opening words), every out-of-scope one under
"out of scope"; the semantic stage compares a question with them. Give it the sets the
expansions learn from; never a held-out set. ``--dirs`` learns for an operator's own
knowledge folders (default: the shipped corpus).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import knowledge
from bench.expansions import openings
from bench.learning import UNLEARNED, emit, evidenced, learned_by, learner_parser, questions
from knowledge.evaluation import EvalItem
from knowledge.semantic.precedents import OUT_OF_SCOPE

__all__ = ["learn_texts", "learn_unanswered", "main", "render"]


def learn_texts(kb: knowledge.Knowledge, items: Sequence[EvalItem]) -> dict[int, list[str]]:
    """Passage row -> the answerable questions it answered, as asked (each once, in order)."""
    asked: defaultdict[int, dict[str, None]] = defaultdict(dict)
    for item, rows in evidenced(kb, items):
        for row in rows:
            asked[row][item.question.strip()] = None
    return {row: list(texts) for row, texts in asked.items()}


def learn_unanswered(items: Sequence[EvalItem]) -> list[str]:
    """The out-of-scope questions, as asked (each once, in order)."""
    return list(dict.fromkeys(i.question.strip() for i in items if i.expect == "no_answer"))


def render(
    kb: knowledge.Knowledge,
    asked: dict[int, list[str]],
    sets: Sequence[Path],
    unanswered: Sequence[str] = (),
) -> str:
    """The YAML file: per source and passage (its opening words), one line per question; then
    the out-of-scope questions (`OUT_OF_SCOPE`)."""
    lines = [
        learned_by("bench.precedents", sets, "knowledge/semantic/precedents.py"),
        "# The tuning questions as asked, under the passage (named by its opening words) that",
        "# answered them, and the out-of-scope ones last: the semantic stage's precedents.",
        "# Regenerate with expansions.yaml.",
    ]
    by_source: defaultdict[str, list[str]] = defaultdict(list)
    named = openings(kb, asked)
    for row in sorted(asked):
        passage = kb.passages[row]
        by_source[passage.source_id] += [f"  {json.dumps(named[row], ensure_ascii=False)}:"]
        by_source[passage.source_id] += [
            f"    - {json.dumps(text, ensure_ascii=False)}" for text in asked[row]
        ]
    for source_id in sorted(by_source):
        lines += [f"{json.dumps(source_id)}:", *by_source[source_id]]
    if unanswered:
        lines += [f"{json.dumps(OUT_OF_SCOPE)}:"]
        lines += [f"  - {json.dumps(text, ensure_ascii=False)}" for text in unanswered]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print (or write to ``--out``) the questions learned from the question sets."""
    args = learner_parser(__doc__ or "").parse_args(argv)
    if args.evaluate:
        sys.stderr.write("bench.precedents: --evaluate is not supported; use `eval --config`\n")
        return 2
    kb = knowledge.load(args.dirs).with_options(UNLEARNED)
    items = questions(args.sets)
    emit(render(kb, learn_texts(kb, items), args.sets, learn_unanswered(items)), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

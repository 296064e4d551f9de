"""What the learners of ``knowledge/data`` files share (`bench.associations`,
`bench.expansions`, `bench.out_of_scope`): their command line, the questions' answering
passages, the words' spellings, and the figures of a search with what was learned."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import yaml

import knowledge
from knowledge.evaluation import EvalItem, evaluate, fold, load_questions
from knowledge.expansions import Expansions, Question
from knowledge.features import PRODUCT
from knowledge.language.stem import is_cyrillic
from knowledge.language.tokenize import tokenize
from knowledge.query import load_synonyms

UNLEARNED = replace(PRODUCT, associations=False, expansions=False)  # what learning starts from
_SHOWN = ("hit@1", "hit@3", "mrr", "no_answer_accuracy", "answer_refused")
_WORD = re.compile(r"[^\W_]{2,}")  # "un", "eu" and "2022" are words questions use


def learner_parser(doc: str) -> argparse.ArgumentParser:
    """The learners' common arguments: the sets, ``--dirs``, ``--out`` and ``--evaluate``."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("sets", type=Path, nargs="+", help="tuning question sets")
    parser.add_argument("--dirs", type=Path, nargs="+", help="knowledge folders (default: shipped)")
    parser.add_argument("--out", type=Path, help="write here instead of printing")
    parser.add_argument("--evaluate", type=Path, nargs="+", help="sets to measure instead")
    return parser


def questions(paths: Sequence[Path]) -> list[EvalItem]:
    """Every question of the sets at ``paths``, in order."""
    return [item for path in paths for item in load_questions(path)]


def learned_by(learner: str, sets: Sequence[Path], reader: str) -> str:
    """A learned file's first line: the command that wrote it, and the module that reads it."""
    return f"# Learned by `python -m {learner} {' '.join(p.as_posix() for p in sets)}` ({reader})."


def emit(text: str, out: Path | None) -> None:
    """Write ``text`` to ``out``, or print it."""
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def evidenced(
    kb: knowledge.Knowledge, items: Sequence[EvalItem]
) -> Iterator[tuple[EvalItem, list[int]]]:
    """Each answerable question and the rows of the passages holding its evidence
    (questions no passage answers left out)."""
    texts = [fold(p.text) for p in kb.passages]
    for item in items:
        if item.expect != "answer":
            continue
        phrases = [fold(e) for e in item.evidence]
        rows = [r for r, text in enumerate(texts) if any(p in text for p in phrases)]
        if rows:
            yield item, rows


def answered(
    kb: knowledge.Knowledge, items: Sequence[EvalItem]
) -> Iterator[tuple[set[str], list[int]]]:
    """Each answerable question's search terms and the rows of the passages holding its
    evidence (`evidenced`)."""
    for item, rows in evidenced(kb, items):
        yield set(kb.query(item.question).terms), rows


def spellings(texts: Sequence[str], cyrillic: bool = False) -> dict[str, str]:
    """Stem -> its most frequent spelling in ``texts`` that reads back as that stem alone, and
    that YAML reads as that text unquoted ("true" and "1e3" do not; Latin-script words only,
    unless ``cyrillic``)."""
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    plain: dict[str, bool] = {}
    for text in texts:
        for word in _WORD.findall(text.casefold()):
            found = tokenize(word)
            if len(found) != 1 or (is_cyrillic(word) and not cyrillic):
                continue
            if word not in plain:
                plain[word] = yaml.safe_load(word) == word
            if plain[word]:
                seen[found[0]][word] += 1
    return {stem: words.most_common(1)[0][0] for stem, words in seen.items()}


def linked(
    kb: knowledge.Knowledge,
    links: Mapping[str, Sequence[str]],
    expansions: Expansions | None = None,
    out_of_scope: Collection[str] = (),
    unanswered: Sequence[Question] = (),
) -> knowledge.Knowledge:
    """``kb``'s sources searched with the associations ``links`` (and the ``expansions``, the
    ``out_of_scope`` words and questions, ``unanswered``) instead of what it learned."""
    synonyms = load_synonyms()
    return knowledge.Knowledge.build(
        kb.sources, kb.taxonomy, synonyms, links, expansions, out_of_scope, unanswered
    )


def compare(searches: Mapping[str, knowledge.Knowledge], items: Sequence[EvalItem]) -> str:
    """The figures of ``items`` with each of the named ``searches``, one line each."""
    lines = []
    for name, searched in searches.items():
        metrics = evaluate(items, searched.ask).metrics
        shown = "  ".join(f"{k} {metrics[k]:.3f}" for k in _SHOWN if metrics.get(k) is not None)
        lines.append(f"{name:<9}{shown}")
    return "\n".join(lines) + "\n"

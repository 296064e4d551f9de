"""Question-set evaluation (SPEC §4): evidence hit@1/hit@3, MRR, no-answer and graceful rates."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.models import Answer
from knowledge.yamlfile import YamlReader

__all__ = ["EvalItem", "EvalReport", "Outcome", "evaluate", "fold", "judge", "load_questions"]

EXPECTS = ("answer", "no_answer", "graceful")
_SPACE = re.compile(r"\s+")
_SCALAR = (str, int, float)  # what YAML reads a question or a phrase as (`2015`, `yes`)
MAX_GENERATED = 1_000_000  # characters a ``generate`` item may make


@dataclass(frozen=True, slots=True)
class EvalItem:
    """One question of a question set."""

    id: str
    question: str  # the text sent (``generate`` already expanded)
    expect: str
    style: str = ""
    category: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one question went: the rank of the first excerpt with evidence, or why it missed."""

    item: EvalItem
    right: bool
    rank: int | None = None  # 1-based rank of the first excerpt holding evidence
    error: str | None = None
    answered: bool = False


@dataclass(frozen=True)
class EvalReport:
    """Metrics over a question set, overall and per style, and the misses."""

    outcomes: tuple[Outcome, ...]
    metrics: dict[str, float | None] = field(default_factory=dict)
    by_style: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @property
    def misses(self) -> tuple[Outcome, ...]:
        """The outcomes that were not right."""
        return tuple(o for o in self.outcomes if not o.right)

    def to_json(self) -> dict[str, Any]:
        """The ``eval --json`` shape."""
        return {
            "metrics": self.metrics,
            "by_style": self.by_style,
            "misses": [
                {
                    "id": o.item.id,
                    "style": o.item.style,
                    "expect": o.item.expect,
                    "question": o.item.question[:200],
                    "rank": o.rank,
                    "error": o.error,
                    "answered": o.answered,
                }
                for o in self.misses
            ],
        }


def fold(text: str) -> str:
    """``text`` as evidence is matched: whitespace runs as one space, case folded."""
    return _SPACE.sub(" ", text).strip().casefold()


def _question(raw: dict[str, Any], where: str) -> str:
    """The text to send: ``question``, or ``generate``'s ``repeat`` ``times`` times."""
    generate = raw.get("generate")
    if generate is None:
        question = raw.get("question", "")
        if not isinstance(question, _SCALAR):
            raise ValueError(f"{where}: question must be text")
        return str(question)
    repeat = generate.get("repeat") if isinstance(generate, dict) else None
    times = generate.get("times", 1) if isinstance(generate, dict) else None
    # bool is an int to Python, not a count to a reader
    usable = isinstance(repeat, str) and type(times) is int and times >= 0
    if not usable or len(repeat) * times > MAX_GENERATED:
        raise ValueError(
            f"{where}: generate must be {{repeat: TEXT, times: N}}, N a whole number from 0, "
            f"at most {MAX_GENERATED:,} characters in all"
        )
    return repeat * times


def _item(raw: Any, index: int, path: str) -> EvalItem:
    if not isinstance(raw, dict) or "expect" not in raw:
        raise ValueError(f"{path}: item {index + 1}: needs a mapping with 'expect'")
    if raw["expect"] not in EXPECTS:
        raise ValueError(f"{path}: item {index + 1}: expect must be one of {', '.join(EXPECTS)}")
    where = f"{path}: item {index + 1}"
    question = _question(raw, where)
    evidence = raw.get("evidence") or []
    # one phrase written without brackets is one phrase, not a list of its letters
    evidence = [evidence] if isinstance(evidence, _SCALAR) else evidence
    if not isinstance(evidence, list) or not all(isinstance(e, _SCALAR) for e in evidence):
        raise ValueError(f"{where}: evidence must be a list of phrases")
    phrases = tuple(str(e) for e in evidence)
    if raw["expect"] == "answer" and not (phrases and all(fold(p) for p in phrases)):
        raise ValueError(
            f"{path}: item {index + 1}: expect: answer needs evidence, one or more "
            "non-empty phrases from the sources"
        )
    return EvalItem(
        id=str(raw.get("id", index + 1)),
        question=question,
        expect=raw["expect"],
        style=str(raw.get("style", "")),
        category=str(raw.get("category", "")),
        evidence=phrases,
    )


def load_questions(path: Path) -> list[EvalItem]:
    """Read a question set (the schema in the header of the dev set).

    Raises:
        ValueError: the file is not a valid question set (message names the item).
    """
    reader = YamlReader.read(path, "question set")
    if reader.problems:
        raise ValueError(str(reader.problems[0]))
    data = reader.data
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path}: a question set is a YAML list of one or more items")
    items = [_item(raw, i, str(path)) for i, raw in enumerate(data)]
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise ValueError(f"{path}: item {i + 1}: id {item.id!r} is used twice")
        seen.add(item.id)
    return items


def judge(item: EvalItem, answer: Answer | None, error: str | None = None) -> Outcome:
    """Whether ``answer`` is right for ``item`` (SPEC §4)."""
    if answer is None:
        return Outcome(item, False, error=error)
    if item.expect == "graceful":
        return Outcome(item, True, answered=answer.answered)
    if item.expect == "no_answer":
        return Outcome(item, not answer.answered, answered=answer.answered)
    phrases = [fold(e) for e in item.evidence]
    for excerpt in answer.excerpts[:3]:
        if any(p in fold(excerpt.text) for p in phrases):
            return Outcome(item, True, rank=excerpt.rank, answered=True)
    return Outcome(item, False, answered=answer.answered)


def _rate(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _metrics(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    answers = [o for o in outcomes if o.item.expect == "answer"]
    return {
        "questions": len(outcomes),
        "hit@1": _rate([o.rank == 1 for o in answers]),
        "hit@3": _rate([o.rank is not None and o.rank <= 3 for o in answers]),
        "mrr": sum(1 / o.rank for o in answers if o.rank) / len(answers) if answers else None,
        "no_answer_accuracy": _rate([o.right for o in outcomes if o.item.expect == "no_answer"]),
        "answer_refused": _rate([not o.answered for o in answers]),
        "graceful_rate": _rate([o.right for o in outcomes if o.item.expect == "graceful"]),
    }


def evaluate(items: Sequence[EvalItem], ask: Callable[[str], Answer]) -> EvalReport:
    """Ask every question through ``ask`` and score the answers."""
    outcomes = []
    for item in items:
        try:
            outcomes.append(judge(item, ask(item.question)))
        except Exception as exc:
            outcomes.append(judge(item, None, f"{type(exc).__name__}: {exc}"))
    styles: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        styles[outcome.item.style or "-"].append(outcome)
    return EvalReport(
        tuple(outcomes), _metrics(outcomes), {s: _metrics(o) for s, o in sorted(styles.items())}
    )

"""Each ranking feature's contribution: a question set run with one feature off at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from knowledge.evaluation import EvalItem, EvalReport, evaluate
from knowledge.features import FEATURES, PRODUCT, RankingOptions

if TYPE_CHECKING:
    from knowledge.answer import Knowledge

__all__ = ["AblationRow", "ablate", "configurations", "format_ablation", "language_hit3"]

CYRILLIC_STYLES = frozenset({"ukrainian", "russian"})
COLUMNS = (
    "hit@1",
    "hit@3",
    "mrr",
    "no_answer_accuracy",
    "answer_refused",
    "en_hit@3",
    "ukru_hit@3",
)
HEADINGS = ("hit@1", "hit@3", "MRR", "no-ans", "refused", "en@3", "uk/ru@3")


@dataclass(frozen=True, slots=True)
class AblationRow:
    """The metrics of one configuration of the ranking."""

    name: str
    options: RankingOptions
    metrics: dict[str, float | None]

    def to_json(self) -> dict[str, Any]:
        """One row of ``eval --ablate --json``."""
        return {"name": self.name, "off": _off(self.options), "metrics": self.metrics}


def _off(options: RankingOptions) -> list[str]:
    return [f for f in FEATURES if not getattr(options, f)]


def configurations(base: RankingOptions = PRODUCT) -> list[tuple[str, RankingOptions]]:
    """``base``, ``base`` without each of its features in turn, and plain BM25."""
    on = [f for f in FEATURES if getattr(base, f)]
    return [
        ("full" if base == PRODUCT else "base", base),
        *((f"-{f}", base.without(f)) for f in on),
        ("plain bm25", RankingOptions.plain()),
    ]


def language_hit3(report: EvalReport, cyrillic: bool) -> float | None:
    """hit@3 over the answerable questions in Ukrainian/Russian (or in English)."""
    answers = [
        o
        for o in report.outcomes
        if o.item.expect == "answer" and (o.item.style in CYRILLIC_STYLES) == cyrillic
    ]
    return sum(o.rank is not None for o in answers) / len(answers) if answers else None


def ablate(
    items: Sequence[EvalItem], knowledge: Knowledge, base: RankingOptions = PRODUCT
) -> list[AblationRow]:
    """Run ``items`` under every configuration of `configurations`."""
    rows = []
    for name, options in configurations(base):
        report = evaluate(items, knowledge.with_options(options).ask)
        metrics = dict(report.metrics)
        metrics["en_hit@3"] = language_hit3(report, cyrillic=False)
        metrics["ukru_hit@3"] = language_hit3(report, cyrillic=True)
        rows.append(AblationRow(name, options, metrics))
    return rows


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_ablation(rows: Sequence[AblationRow]) -> str:
    """A table: one configuration per line, one metric per column."""
    lines = [f"{'configuration':<16}" + "".join(f"{h:>9}" for h in HEADINGS)]
    for row in rows:
        lines.append(f"{row.name:<16}" + "".join(f"{_cell(row.metrics[c]):>9}" for c in COLUMNS))
    return "\n".join(lines)

"""Domain errors that carry where the problem is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from knowledge.models import Problem


class KnowledgeError(Exception):
    """Knowledge could not be loaded; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceError(ValueError):
    """One source file is malformed: printed as ``path:line: message``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.problem = Problem(str(path), line, message)
        super().__init__(str(self.problem))


def problems_of(load: Callable[[Path], object], path: Path) -> list[Problem]:
    """Every problem ``load`` finds in the file at ``path`` (none: it loads)."""
    try:
        load(path)
    except KnowledgeError as exc:
        return list(exc.problems)
    return []

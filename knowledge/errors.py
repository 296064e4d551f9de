"""Domain errors that carry where the problem is."""

from __future__ import annotations

from collections.abc import Sequence

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

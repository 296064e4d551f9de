"""A YAML file read with the line of every key, so problems print as ``path:line: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from knowledge.language.tokenize import tokenize
from knowledge.models import Problem
from knowledge.taxonomy.phrases import Phrase

__all__ = ["YamlPath", "YamlReader"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster

YamlPath = tuple[str | int, ...]


class YamlReader:
    """Validates parsed YAML against its node tree, collecting problems with line numbers."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.problems: list[Problem] = []
        self.lines: dict[YamlPath, int] = {}
        try:
            self.data: Any = yaml.load(text, Loader=_LOADER)
            self._index(yaml.compose(text, Loader=_LOADER), ())
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.data = None
            self.problem((), f"invalid YAML: {getattr(exc, 'problem', exc)}", mark)

    def _index(self, node: yaml.Node | None, at: YamlPath) -> None:
        if node is None:
            return
        self.lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self.lines[(*at, key.value)] = key.start_mark.line + 1
                self._index(value, (*at, key.value))
                self.lines[(*at, key.value)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*at, i))

    def problem(self, at: YamlPath, message: str, mark: Any = None) -> None:
        """Record a problem at the YAML path ``at`` (its nearest known line)."""
        line = mark.line + 1 if mark is not None else 1
        for cut in range(len(at), -1, -1):
            if at[:cut] in self.lines and mark is None:
                line = self.lines[at[:cut]]
                break
        where = ".".join(str(p) for p in at)
        self.problems.append(Problem(self.path, line, f"{where}: {message}" if where else message))

    def strings(self, value: Any, at: YamlPath) -> list[str]:
        """A list of non-empty strings (numbers allowed), else a problem and []."""
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.problem(at, "expected a list of words or phrases")
            return []
        return [str(v) for v in value]

    def phrase(
        self, text: str, language: str, at: YamlPath, stop: frozenset[str] = frozenset()
    ) -> Phrase:
        """``text`` as stemmed tokens; a problem when nothing searchable is left."""
        tokens = tuple(tokenize(text, language, stop))
        if not tokens:
            self.problem(at, f"{text!r} has no searchable word")
        return tokens

    def phrases(self, texts: list[str], at: YamlPath) -> list[Phrase]:
        """The English ``texts`` as stemmed phrases, unsearchable ones reported and dropped."""
        return [p for i, t in enumerate(texts) if (p := self.phrase(t, "en", (*at, i)))]

"""Learned out-of-scope words: words people ask with only when the sources cannot answer.

``out_of_scope.yaml`` lists words that the tuning question sets used in out-of-scope
questions and (almost) never in answerable ones ("weather", "football", "hryvnia"). A question
using one that no source uses is refused (`knowledge.decision`): "What is the weather in Kyiv
tomorrow?" asks for something the talks' sources do not hold, however well "Kyiv" matches.
A listed word the sources do use says nothing, so an operator's own corpus is judged by its
own words. The shipped file is learned by ``python -m bench.out_of_scope`` from the tuning
sets (never from a held-out one); one in a knowledge folder (the first that has one)
replaces it, as an ``associations.yaml`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from knowledge.errors import KnowledgeError, problems_of
from knowledge.models import Problem
from knowledge.yamlfile import YamlReader, first_file

__all__ = ["check_out_of_scope", "find_out_of_scope", "load_out_of_scope"]

FILE = "out_of_scope.yaml"
RULE = "an out-of-scope word is one search word"


def find_out_of_scope(dirs: Sequence[Path] | None) -> Path:
    """The first ``out_of_scope.yaml`` in the knowledge folders ``dirs``, else the shipped one."""
    return first_file(dirs, FILE)


def check_out_of_scope(path: Path) -> list[Problem]:
    """Every problem of the out-of-scope words file at ``path`` as ``path:line: message``."""
    return problems_of(load_out_of_scope, path)


def load_out_of_scope(path: Path) -> frozenset[str]:
    """The out-of-scope words (stems) in ``path``.

    Raises:
        KnowledgeError: the file is unreadable, not YAML, or not a list of words; every problem
            is listed.
    """
    reader = YamlReader.read(path, "out-of-scope words")
    data = reader.data if reader.data is not None else []
    if not isinstance(data, list):
        reader.problem((), "expected a list of words")
        data = []
    words = {reader.word(word, (i,), RULE) for i, word in enumerate(data)}
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return frozenset(w for w in words if w)

"""Learned out-of-scope words: words people ask with only when the sources cannot answer.

``out_of_scope.yaml`` lists words that the tuning question sets used in out-of-scope
questions and (almost) never in answerable ones ("weather", "football", "hryvnia"). A question
using one that no source uses is refused (`knowledge.decision`): "What is the weather in Kyiv
tomorrow?" asks for something the talks' sources do not hold, however well "Kyiv" matches.
A listed word the sources do use says nothing, so an operator's own corpus is judged by its
own words. The shipped file is learned by ``python -m bench.out_of_scope`` from the tuning
sets (never from a held-out one); one in a knowledge folder (the first that has one)
replaces it, as an ``associations.yaml`` does.

The file also lists the out-of-scope tuning questions themselves, as their words: a question
worded like them is refused when the passages it finds are ones the tuning questions were
asked about (`knowledge.precedents`). A file holding only a list of words (the shape before
session 16) has no questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import KnowledgeError, problems_of
from knowledge.expansions import Question
from knowledge.models import Problem
from knowledge.yamlfile import YamlReader, first_file

__all__ = ["OutOfScope", "check_out_of_scope", "find_out_of_scope", "load_out_of_scope"]

FILE = "out_of_scope.yaml"
RULE = "an out-of-scope word is one search word"
SHAPE = "expected words: [word, ...] and questions: [[word, ...], ...] (or a list of words)"


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """The learned out-of-scope words (stems) and the out-of-scope questions' words."""

    words: frozenset[str] = frozenset()
    questions: tuple[Question, ...] = ()


def find_out_of_scope(dirs: Sequence[Path] | None) -> Path:
    """The first ``out_of_scope.yaml`` in the knowledge folders ``dirs``, else the shipped one."""
    return first_file(dirs, FILE)


def check_out_of_scope(path: Path) -> list[Problem]:
    """Every problem of the out-of-scope words file at ``path`` as ``path:line: message``."""
    return problems_of(load_out_of_scope, path)


def load_out_of_scope(path: Path) -> OutOfScope:
    """The out-of-scope words and questions in ``path``.

    Raises:
        KnowledgeError: the file is unreadable, not YAML, or not shaped as `SHAPE`; every
            problem is listed.
    """
    reader = YamlReader.read(path, "out-of-scope words")
    data = reader.data if reader.data is not None else []
    at: tuple[str, ...] = () if isinstance(data, list) else ("words",)
    if isinstance(data, list):  # the older shape: the words alone
        data = {"words": data}
    if not isinstance(data, Mapping) or not set(data) <= {"words", "questions"}:
        reader.problem((), SHAPE)
        data = {}
    listed, asked = data.get("words") or [], data.get("questions") or []
    if not isinstance(listed, list) or not isinstance(asked, list):
        reader.problem((), SHAPE)
        listed, asked = [], []
    words = {reader.word(word, (*at, i), RULE) for i, word in enumerate(listed)}
    questions = []
    for n, question in enumerate(asked):
        if not isinstance(question, list):
            reader.problem(("questions", n), SHAPE)
            continue
        tokens = (reader.word(w, ("questions", n, i), RULE) for i, w in enumerate(question))
        found = tuple(dict.fromkeys(t for t in tokens if t))
        if found:
            questions.append(found)
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return OutOfScope(frozenset(w for w in words if w), tuple(questions))

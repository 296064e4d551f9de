"""Learned associations: a question word also matches the words the sources answer it with.

``associations.yaml`` maps a word people ask with to the words of the passages that answered
such questions ("biggest: [obstacle, mistrust]"). Unlike a synonym group the link runs one
way and need not be a synonym: it is what questions about these sources were answered with.
The shipped file is learned from the tuning question sets by ``python -m bench.associations``
(never from the held-out one). An ``associations.yaml`` in a knowledge folder (the first that
has one) replaces it, as a ``taxonomy.yaml`` does: an operator learns one for their own
sources. It is read at every load, so an edit takes effect with /reload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from knowledge.errors import KnowledgeError, problems_of
from knowledge.models import Problem
from knowledge.yamlfile import YamlReader, first_file, shipped_file

__all__ = [
    "check_associations",
    "find_associations",
    "load_associations",
]

FILE = "associations.yaml"
RULE = "an association links one word to words"


def find_associations(dirs: Sequence[Path] | None) -> Path:
    """The first ``associations.yaml`` in the knowledge folders ``dirs``, else the shipped one."""
    return first_file(dirs, FILE)


def check_associations(path: Path) -> list[Problem]:
    """Every problem of the associations file at ``path`` as ``path:line: message``."""
    return problems_of(load_associations, path)


def load_associations(path: Path | None = None) -> dict[str, frozenset[str]]:
    """Question stem -> the stems it also matches, from ``path`` or the shipped file.

    Raises:
        KnowledgeError: the file is unreadable, not YAML, or not a mapping of a word to a list
            of words; every problem is listed.
    """
    path = path or shipped_file(FILE)
    reader = YamlReader.read(path, "associations")
    data = reader.data if reader.data is not None else {}
    if not reader.problems and not (
        isinstance(data, Mapping) and all(isinstance(v, list) for v in data.values())
    ):
        reader.problem((), "expected a mapping of a word to a list of words")
        data = {}
    links: dict[str, set[str]] = {}
    for key, targets in data.items() if isinstance(data, Mapping) else ():
        asked = reader.word(key, (str(key),), RULE)
        found = [reader.word(t, (str(key), i), RULE) for i, t in enumerate(targets)]
        if asked is not None:
            links.setdefault(asked, set()).update(t for t in found if t and t != asked)
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return {asked: frozenset(targets) for asked, targets in links.items() if targets}

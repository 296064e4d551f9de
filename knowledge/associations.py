"""Learned associations: a question word also matches the words the sources answer it with.

``associations.yaml`` maps a word people ask with to the words of the passages that answered
such questions ("biggest: [obstacle, mistrust]"). Unlike a synonym group the link runs one
way and need not be a synonym: it is what questions about these sources were answered with.
The shipped file is learned from the tuning question sets by ``python -m bench.associations``
(never from the held-out one); it is read like ``synonyms.yaml``, at every load.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.language.tokenize import tokenize
from knowledge.yamlfile import YamlReader

__all__ = ["default_associations_path", "load_associations"]


def default_associations_path() -> Path:
    """The shipped ``knowledge/data/associations.yaml``."""
    return Path(str(resources.files("knowledge") / "data" / "associations.yaml"))


def _one_word(reader: YamlReader, at: tuple[str | int, ...], word: object) -> str | None:
    """The search word ``word`` is, or None (and a problem) when it is none or several."""
    found = tokenize(str(word))
    if len(found) == 1:
        return found[0]
    what = f"{len(found)} search words" if found else "a stopword"
    reader.problem(at, f"{str(word)!r} is {what}: an association links one word to words")
    return None


def load_associations(path: Path | None = None) -> dict[str, frozenset[str]]:
    """Question stem -> the stems it also matches, from ``path`` or the shipped file.

    Raises:
        KnowledgeError: the file is unreadable, not YAML, or not a mapping of a word to a list
            of words; every problem is listed.
    """
    path = path or default_associations_path()
    reader = YamlReader.read(path, "associations")
    data = reader.data if reader.data is not None else {}
    if not reader.problems and not (
        isinstance(data, Mapping) and all(isinstance(v, list) for v in data.values())
    ):
        reader.problem((), "expected a mapping of a word to a list of words")
        data = {}
    links: dict[str, set[str]] = {}
    for key, targets in data.items() if isinstance(data, Mapping) else ():
        asked = _one_word(reader, (str(key),), key)
        found = [_one_word(reader, (str(key), i), t) for i, t in enumerate(targets)]
        if asked is not None:
            links.setdefault(asked, set()).update(t for t in found if t and t != asked)
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return {asked: frozenset(targets) for asked, targets in links.items() if targets}

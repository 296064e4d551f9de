"""Learned expansions: a passage is also indexed by the words of the questions it answered.

``expansions.yaml`` names passages by source id and opening words, each with the words of the
tuning questions it answered and how many of them used each word ("document expansion":
a later question worded like those finds the passage without the passage's own words). The
shipped file is learned from the tuning question sets by ``python -m bench.expansions`` (never
from a held-out one). An ``expansions.yaml`` in a knowledge folder (the first that has one)
replaces it, as an ``associations.yaml`` does. A passage whose opening words its source no
longer has gains nothing; the words are added when the index is built.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import KnowledgeError, problems_of
from knowledge.evaluation import fold
from knowledge.models import Passage, Problem
from knowledge.yamlfile import YamlReader, first_file

__all__ = ["Expansions", "check_expansions", "find_expansions", "learned_only", "load_expansions"]

FILE = "expansions.yaml"
RULE = "a passage's expansion is one word with a count"
MAX_COUNT = 1000  # questions per word and passage (the shipped file's highest is far below)
SHAPE = "expected source id -> passage opening words -> word -> count"


@dataclass(frozen=True, slots=True)
class Expansions:
    """The learned words of passages, by source id: (folded opening words, tokens) pairs."""

    by_source: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)

    def tokens(self, passage: Passage) -> list[str]:
        """The learned tokens of ``passage`` (each as often as questions used it)."""
        learned = self.by_source.get(passage.source_id)
        if not learned:
            return []
        text = fold(passage.text)
        return [token for opening, tokens in learned if opening in text for token in tokens]


def learned_only(
    passages: Iterable[Passage],
    expansions: Expansions,
    doc_freq: Callable[[str], int],
    own_tokens: Callable[[Passage], Collection[str]],
) -> frozenset[str]:
    """The indexed terms that only ``expansions`` hold: no passage's own words say them.

    ``passages`` are those the expansions may name (the others hold no learned word);
    ``doc_freq`` counts the passages holding a term, own words and learned ones alike.
    """
    holders: dict[str, list[Passage]] = {}
    for passage in passages:
        for token in set(expansions.tokens(passage)):
            holders.setdefault(token, []).append(passage)
    return frozenset(
        token
        for token, held in holders.items()
        if doc_freq(token) <= len(held) and not any(token in own_tokens(p) for p in held)
    )


def find_expansions(dirs: Sequence[Path] | None) -> Path:
    """The first ``expansions.yaml`` in the knowledge folders ``dirs``, else the shipped one."""
    return first_file(dirs, FILE)


def check_expansions(path: Path) -> list[Problem]:
    """Every problem of the expansions file at ``path`` as ``path:line: message``."""
    return problems_of(load_expansions, path)


def load_expansions(path: Path) -> Expansions:
    """The expansions in ``path``.

    Raises:
        KnowledgeError: the file is unreadable, not YAML, or not shaped as `SHAPE`; every
            problem is listed.
    """
    reader = YamlReader.read(path, "expansions")
    data = reader.data if reader.data is not None else {}
    if not isinstance(data, Mapping):
        reader.problem((), SHAPE)
        data = {}
    by_source = {}
    for source_id, passages in data.items():
        if not isinstance(passages, Mapping):
            reader.problem((str(source_id),), SHAPE)
            continue
        learned = tuple(
            (fold(str(opening)), _tokens(reader, words, (str(source_id), str(opening))))
            for opening, words in passages.items()
        )
        by_source[str(source_id)] = tuple((o, t) for o, t in learned if o and t)
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return Expansions(by_source)


def _tokens(reader: YamlReader, words: object, at: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` (word -> count) as tokens, each repeated count times."""
    if not isinstance(words, Mapping):
        reader.problem(at, SHAPE)
        return ()
    tokens: list[str] = []
    for word, count in words.items():
        token = reader.word(word, (*at, str(word)), RULE)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
            reader.problem((*at, str(word)), f"{count!r} is not a count from 1 to {MAX_COUNT}")
        elif token is not None:
            tokens += [token] * count
    return tuple(tokens)

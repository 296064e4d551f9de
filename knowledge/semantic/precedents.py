"""The tuning questions as asked, by the passage that answered each: the stage's precedents.

``precedents.yaml`` names passages as ``expansions.yaml`` does (source id, opening words),
each with the text of every tuning question it answered, and under `OUT_OF_SCOPE` the
out-of-scope tuning questions. With the semantic stage on, they are encoded once (saved with
the passage vectors); a question's nearest answered ones vote for their passages as the
lexical precedents do (`knowledge.precedents`), the two votes averaged, and a question whose
nearest ones in meaning were mostly out of scope is refused (`knowledge.decision`). The
shipped file is learned by ``python -m bench.precedents`` from the same tuning sets as the
expansions; one in a knowledge folder (the first that has one) replaces it. Without the
stage, nothing reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import KnowledgeError, problems_of
from knowledge.evaluation import fold
from knowledge.models import Passage, Problem
from knowledge.precedents import UNANSWERED
from knowledge.yamlfile import YamlReader, first_file

__all__ = [
    "FILE",
    "OUT_OF_SCOPE",
    "AskedQuestions",
    "check_precedents",
    "find_precedents",
    "load_precedents",
]

FILE = "precedents.yaml"
OUT_OF_SCOPE = "out of scope"  # the key of the out-of-scope questions' list
SHAPE = (
    "expected source id -> passage opening words -> list of questions as asked, and "
    f"{OUT_OF_SCOPE!r} -> list of questions as asked"
)
MAX_QUESTIONS = 1000  # per passage (the shipped file's highest is far below)
MAX_UNANSWERED = 20_000  # out-of-scope questions (the shipped file has about 1,500)
MAX_CHARS = 2000  # per question


@dataclass(frozen=True, slots=True)
class AskedQuestions:
    """Tuning questions by source id: (folded opening words, question texts) pairs; and the
    out-of-scope ones (``unanswered``)."""

    by_source: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    unanswered: tuple[str, ...] = ()

    def of(self, passages: Sequence[Passage]) -> list[tuple[str, int]]:
        """Each question with the row of the passage that answered it (row ``i`` is
        ``passages[i]``); a passage whose opening words its source no longer has gets none."""
        found: list[tuple[str, int]] = []
        for row, passage in enumerate(passages):
            learned = self.by_source.get(passage.source_id)
            if not learned:
                continue
            text = fold(passage.text)
            found += [(q, row) for opening, qs in learned if opening in text for q in qs]
        return found

    def rows_of(self, passages: Sequence[Passage]) -> list[tuple[str, int]]:
        """`of` ``passages``, then each out-of-scope question with `UNANSWERED`."""
        return [*self.of(passages), *((q, UNANSWERED) for q in self.unanswered)]


def find_precedents(dirs: Sequence[Path] | None) -> Path:
    """The first ``precedents.yaml`` in the knowledge folders ``dirs``, else the shipped one."""
    return first_file(dirs, FILE)


def check_precedents(path: Path) -> list[Problem]:
    """Every problem of the precedents file at ``path`` as ``path:line: message``."""
    return problems_of(load_precedents, path)


def load_precedents(path: Path) -> AskedQuestions:
    """The questions in ``path``; none when it does not exist.

    Raises:
        KnowledgeError: the file is unreadable, not YAML, or not shaped as `SHAPE`; every
            problem is listed.
    """
    if not Path(path).is_file():
        return AskedQuestions()
    reader = YamlReader.read(path, "precedents")
    data = reader.data if reader.data is not None else {}
    if not isinstance(data, Mapping):
        reader.problem((), SHAPE)
        data = {}
    by_source: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    unanswered: tuple[str, ...] = ()
    for source_id, passages in data.items():
        if source_id == OUT_OF_SCOPE and isinstance(passages, list):
            unanswered = _texts(reader, (OUT_OF_SCOPE,), passages, MAX_UNANSWERED)
            continue
        if not isinstance(passages, Mapping):
            reader.problem((str(source_id),), SHAPE)
            continue
        learned = []
        for opening, questions in passages.items():
            texts = _texts(reader, (str(source_id), str(opening)), questions, MAX_QUESTIONS)
            if fold(str(opening)) and texts:
                learned.append((fold(str(opening)), texts))
        if learned:
            by_source[str(source_id)] = tuple(learned)
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return AskedQuestions(by_source, unanswered)


def _texts(
    reader: YamlReader, at: tuple[str, ...], questions: object, most: int
) -> tuple[str, ...]:
    """The distinct questions of the list ``questions`` at ``at``; problems go to ``reader``."""
    if not isinstance(questions, list) or len(questions) > most:
        reader.problem(at, f"{SHAPE} (at most {most} in a list)")
        return ()
    texts = []
    for n, question in enumerate(questions):
        if not isinstance(question, str) or not 0 < len(question.strip()) <= MAX_CHARS:
            reader.problem((*at, n), f"a question is text of 1 to {MAX_CHARS} characters")
            continue
        texts.append(question.strip())
    return tuple(dict.fromkeys(texts))

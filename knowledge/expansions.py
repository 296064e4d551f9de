"""Learned expansions: a passage is also indexed by the words of the questions it answered.

``expansions.yaml`` names passages by source id and opening words, each with the words of the
tuning questions it answered, one list per question ("document expansion": a later question
worded like those finds the passage without the passage's own words; `knowledge.precedents`
also compares a question with each of them). A passage's questions may be grouped by the
opening words of the sentence that answered them (the excerpt then shows the sentence that
answered the nearest ones; "" groups those no sentence is known for). A passage may instead
map each word to how many questions used it (the shape files had before session 16: no
question is then known). The
shipped file is learned from the tuning question sets by ``python -m bench.expansions`` (never
from a held-out one). An ``expansions.yaml`` in a knowledge folder (the first that has one)
replaces it, as an ``associations.yaml`` does. A passage whose opening words its source no
longer has gains nothing; the words are added when the index is built.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.errors import KnowledgeError, problems_of
from knowledge.evaluation import fold
from knowledge.models import Passage, Problem
from knowledge.yamlfile import YamlPath, YamlReader, first_file

__all__ = ["Expansions", "check_expansions", "find_expansions", "learned_only", "load_expansions"]

FILE = "expansions.yaml"
RULE = "a passage's expansion is one word"
MAX_COUNT = 1000  # questions per word and passage (the shipped file's highest is far below)
SHAPE = (
    "expected source id -> passage opening words -> list of questions' word lists (or"
    " sentence opening words -> such a list)"
)


Question = tuple[str, ...]  # one tuning question's distinct tokens


@dataclass(frozen=True, slots=True)
class Expansions:
    """The learned words of passages, by source id: (folded opening words, tokens) pairs; the
    questions behind them: (folded opening words, questions) pairs; and the sentence that
    answered each question: (folded opening words, each one's folded sentence opening words,
    "" when unknown) pairs."""

    by_source: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    questions: Mapping[str, tuple[tuple[str, tuple[Question, ...]], ...]] = field(
        default_factory=dict
    )
    sentences: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)

    @classmethod
    def of_questions(
        cls,
        questions: Mapping[str, Mapping[str, Sequence[Question]]],
        sentences: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    ) -> Expansions:
        """The expansions of source id -> folded opening words -> the questions' tokens (and
        ``sentences``: -> the folded opening words of the sentence that answered each)."""
        asked = {
            source: tuple((opening, tuple(qs)) for opening, qs in passages.items() if qs)
            for source, passages in questions.items()
        }
        tokens = {
            source: tuple((o, tuple(t for q in qs for t in q)) for o, qs in passages)
            for source, passages in asked.items()
        }
        where = sentences or {}
        answered_in = {
            source: tuple(
                (o, tuple(where.get(source, {}).get(o) or [""] * len(qs))) for o, qs in passages
            )
            for source, passages in asked.items()
        }
        return cls(tokens, asked, answered_in)

    def tokens(self, passage: Passage) -> list[str]:
        """The learned tokens of ``passage`` (each as often as questions used it)."""
        learned = self.by_source.get(passage.source_id)
        if not learned:
            return []
        text = fold(passage.text)
        return [token for opening, tokens in learned if opening in text for token in tokens]

    def asked(self, passage: Passage) -> list[Question]:
        """The tuning questions ``passage`` answered, as their tokens."""
        learned = self.questions.get(passage.source_id)
        if not learned:
            return []
        text = fold(passage.text)
        return [question for opening, qs in learned if opening in text for question in qs]

    def answered_in(self, passage: Passage) -> list[str]:
        """The folded opening words of the sentence of ``passage`` that answered each of its
        `asked` questions ("" when unknown), in their order."""
        learned = self.sentences.get(passage.source_id)
        if not learned:
            return []
        text = fold(passage.text)
        return [sentence for opening, ss in learned if opening in text for sentence in ss]


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
    by_source, questions, sentences = {}, {}, {}
    for source_id, passages in data.items():
        if not isinstance(passages, Mapping):
            reader.problem((str(source_id),), SHAPE)
            continue
        learned, asked, answered_in = [], [], []
        for opening, value in passages.items():
            at = (str(source_id), str(opening))
            if isinstance(value, Mapping) and not _by_sentence(value):
                learned.append((fold(str(opening)), _counted(reader, value, at)))
                continue
            groups = value.items() if isinstance(value, Mapping) else [("", value)]
            qs, where = [], []
            for sentence, listed in groups:
                found = _questions(reader, listed, (*at, str(sentence)) if sentence else at)
                qs += found
                where += [fold(str(sentence))] * len(found)
            learned.append((fold(str(opening)), tuple(t for q in qs for t in q)))
            asked.append((fold(str(opening)), tuple(qs)))
            answered_in.append((fold(str(opening)), tuple(where)))
        by_source[str(source_id)] = tuple((o, t) for o, t in learned if o and t)
        questions[str(source_id)] = tuple((o, qs) for o, qs in asked if o and qs)
        sentences[str(source_id)] = tuple((o, ss) for o, ss in answered_in if o and ss)
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return Expansions(
        by_source,
        {s: qs for s, qs in questions.items() if qs},
        {s: ss for s, ss in sentences.items() if ss},
    )


def _by_sentence(value: Mapping[Any, Any]) -> bool:
    """Whether ``value`` groups questions by sentence (sentence -> list), not counts words."""
    return bool(value) and all(isinstance(v, list) for v in value.values())


def _questions(reader: YamlReader, value: object, at: YamlPath) -> tuple[Question, ...]:
    """``value`` (a list of word lists) as the questions' distinct tokens."""
    if not isinstance(value, list) or not all(isinstance(q, list) for q in value):
        reader.problem(at, SHAPE)
        return ()
    if len(value) > MAX_COUNT:
        reader.problem(at, f"{len(value)} questions: at most {MAX_COUNT} per passage")
        return ()
    found = []
    for n, words in enumerate(value):
        tokens = (reader.word(w, (*at, n, i), RULE) for i, w in enumerate(words))
        question = tuple(dict.fromkeys(t for t in tokens if t is not None))
        if question:
            found.append(question)
    return tuple(found)


def _counted(reader: YamlReader, words: Mapping[Any, Any], at: YamlPath) -> tuple[str, ...]:
    """``words`` (word -> count, the older shape) as tokens, each repeated count times."""
    tokens: list[str] = []
    for word, count in words.items():
        token = reader.word(word, (*at, str(word)), RULE)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
            reader.problem((*at, str(word)), f"{count!r} is not a count from 1 to {MAX_COUNT}")
        elif token is not None:
            tokens += [token] * count
    return tuple(tokens)

"""The optional semantic stage: passage vectors, question encoding, cosine ranking.

BM25 stays the first stage and the default. When ``search.semantic.model`` names a model
that loads, every passage has a unit vector (computed at build time, reloaded from the
snapshot folder afterwards), a question is encoded synchronously (the bot already calls
``Knowledge.ask`` off the event loop), and its cosine similarity with every passage is one
matrix-vector product. Anything that goes wrong leaves BM25 alone in charge, with one log
line that says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol, Self, TypeVar

import numpy as np

from knowledge.errors import KnowledgeError
from knowledge.index import top_k
from knowledge.models import Hit, Passage
from knowledge.precedents import NEIGHBOURS, UNANSWERED
from knowledge.query import Query
from knowledge.semantic.embedder import (
    Embedder,
    SemanticUnavailable,
    load_embedder,
    model_identity,
)
from knowledge.semantic.precedents import load_precedents
from knowledge.semantic.vectors import (
    FILE_NAME,
    PassageVectors,
    encode_passages,
    load_vectors,
    passage_text,
    passages_digest,
    save_vectors,
)
from knowledge.store import remove_leftovers

__all__ = [
    "LANGUAGES",
    "SemanticMatch",
    "SemanticStage",
    "attach_semantic",
    "build_stage",
    "semantic_problem",
]

logger = logging.getLogger(__name__)

Loader = Callable[[str, Path | None], Embedder]


class Searchable(Protocol):
    """What the stage attaches to (``knowledge.Knowledge``): passages, and a copy with it."""

    passages: tuple[Passage, ...]

    def with_semantic(self, stage: SemanticStage | None) -> Self:
        """A copy with ``stage`` as its semantic stage."""
        ...


K = TypeVar("K", bound=Searchable)


@dataclass(frozen=True, slots=True)
class SemanticMatch:
    """The semantic stage's view of one question."""

    hits: tuple[Hit, ...]  # the closest passages, best first; score = similarity
    best: float  # similarity of the closest passage (0.0 when none is positive)
    focus: Mapping[int, int] = field(default_factory=dict)  # hit row -> its closest sentence
    # float32[n_passages]: every passage's similarity (0.0 where not ``allowed``)
    similarities: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    as_asked: bool = True  # False: read in the English words the glossary gives the question
    # float32[n_precedents]: the question's similarity with each tuning question (none: empty)
    precedents: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    @property
    def signal(self) -> float | None:
        """The similarity the answer-or-refuse decision weighs: only of the question as asked.

        A rendering leaves out the words the glossary does not know, so its similarity says
        nothing about whether the sources hold the answer.
        """
        return self.best if self.as_asked else None


QUESTIONS_FILE = "semantic_questions.npz"  # the tuning questions' vectors, beside FILE_NAME
LANGUAGES = frozenset({"en"})  # question languages the stage serves unless told otherwise
# The closest part's share of a passage's similarity. 0.5 (the mean) -> 0.7 lifted the first
# set through `ask` (MiniLM, blended) from hit@1 / hit@3 0.564 / 0.744 to 0.574 / 0.759, with
# the same refusals at a 0.32 bar (0.3: 0.544 / 0.713; 1.0, the closest part alone: 0.564 /
# 0.764 but 0.733 out-of-scope refused against 0.756); SciFact nDCG@10 0.7272 -> 0.7303.
SENTENCE_SHARE = 0.7


class SemanticStage:
    """A model and the unit vectors of every passage and its sentences (row ``i``: passage ``i``).

    A passage's similarity to a question is a weighted mean of its own and that of its
    closest part (itself or one of its sentences; `SENTENCE_SHARE`): a question about one
    fact meets the sentence that states it. On the tuning questions (English,
    all-MiniLM-L6-v2) the stage alone found the evidence in its top 3 for 0.648 of them by
    whole passages and 0.738 with the sentences (their mean).
    """

    def __init__(
        self,
        embedder: Embedder,
        vectors: PassageVectors,
        languages: Collection[str] = LANGUAGES,
        precedent_rows: Sequence[int] = (),
        precedents: np.ndarray | None = None,
    ) -> None:
        """Wrap ``embedder``, the unit ``vectors`` and the stage's ``languages``.

        ``precedents`` are the unit vectors of tuning questions, ``precedent_rows`` the rows
        of the passages that answered them, in order, `UNANSWERED` for the out-of-scope ones
        (`knowledge.semantic.precedents`).

        ``languages`` are the question languages the model understands (an English-only model
        maps Ukrainian and Russian questions to noise: on the team's en/uk/ru set it cut their
        hit@1 from 0.85 to 0.58, so those questions meet it in their glossary English, see
        `knowledge.Knowledge.semantic_match`).
        """
        self.embedder = embedder
        self.vectors = np.ascontiguousarray(vectors.passages, dtype=np.float32)
        self.sentences = np.ascontiguousarray(vectors.sentences, dtype=np.float32)
        owners = np.asarray(vectors.owners)
        self._owners, self._starts = np.unique(owners, return_index=True)
        self._ends = np.append(self._starts[1:], len(owners))
        self.languages = frozenset(languages)
        dim = self.vectors.shape[1]
        none = np.zeros((0, dim), np.float32)
        self.precedents = np.ascontiguousarray(
            none if precedents is None or not len(precedents) else precedents, np.float32
        )
        self.precedent_rows = np.asarray(precedent_rows, dtype=np.int64)
        self._answered = self.precedent_rows != UNANSWERED  # bool[n_precedents]
        self._answered_rows = np.unique(self.precedent_rows[self._answered])
        if len(self.precedents) != len(self.precedent_rows):
            raise ValueError("one passage row per tuning question vector")

    def serves(self, language: str) -> bool:
        """True when questions in ``language`` (en, uk, ru) go through this stage."""
        return language in self.languages

    @property
    def identity(self) -> str:
        """The model the vectors were made with."""
        return self.embedder.identity

    def similarities(self, question: str) -> np.ndarray:
        """float32[n_passages]: similarity of ``question`` with each passage and its sentences."""
        return self._scores(question)[0]

    def read(self, question: str, query: Query, k: int) -> SemanticMatch | None:
        """The ``k`` passages closest to ``question`` as BM25 read it; None when it cannot be read.

        In a language the stage serves, the question with its typos corrected
        (`Query.respell`); in another, when the stage serves English, the English words the
        glossary gives it (`Query.english`).
        """
        if self.serves(query.language):
            return self.match(query.respell(question), k)
        rendered = query.english if self.serves("en") else ""
        return replace(self.match(rendered, k), as_asked=False) if rendered else None

    def match(self, question: str, k: int, allowed: np.ndarray | None = None) -> SemanticMatch:
        """The ``k`` passages closest to ``question`` (only ``allowed`` ones, if given).

        ``focus`` names, for each hit whose closest part is one of its sentences, that
        sentence (its index in `passage_sentences`): the excerpt to show holds it.
        """
        sims, whole, parts, vector = self._scores(question)
        if allowed is not None:
            sims = np.where(allowed, sims, 0.0)
        rows = top_k(sims, k)
        hits = tuple(Hit(int(r), float(sims[r])) for r in rows)
        focus = {}
        for row in rows:
            at = int(np.searchsorted(self._owners, row))
            if at < len(self._owners) and self._owners[at] == row:
                start, end = self._starts[at], self._ends[at]
                best = int(np.argmax(parts[start:end]))
                if parts[start + best] > whole[row]:
                    focus[int(row)] = best
        asked = self.precedents @ vector if len(self.precedents) else np.zeros(0, np.float32)
        return SemanticMatch(hits, hits[0].score if hits else 0.0, focus, sims, precedents=asked)

    def votes(self, match: SemanticMatch) -> dict[int, float]:
        """Passage row -> the summed similarities of the `NEIGHBOURS` answered tuning questions
        closest to ``match``'s question that it answered, each over the closest one's (the
        lexical precedents' votes, `knowledge.precedents`); none without tuning questions."""
        similarities = np.where(self._answered, match.precedents, 0.0)
        nearest = top_k(similarities, NEIGHBOURS) if len(similarities) else []
        found: dict[int, float] = {}
        if not len(nearest):
            return found
        best = float(similarities[nearest[0]])
        for i in nearest:
            row = int(self.precedent_rows[i])
            found[row] = found.get(row, 0.0) + float(similarities[i]) / best
        return found

    def unanswered(self, match: SemanticMatch, found: Sequence[int]) -> float:
        """The share of the similarities of the `NEIGHBOURS` tuning questions closest to
        ``match``'s question that out-of-scope ones have, when the passages ``found`` (rows)
        are all ones tuning questions answered (another corpus's passages are not judged by
        the shipped questions); 0 otherwise, or for a question not read as asked."""
        if not match.as_asked or not len(found) or not np.isin(found, self._answered_rows).all():
            return 0.0
        nearest = top_k(match.precedents, NEIGHBOURS)
        near = match.precedents[nearest]
        outside = ~self._answered[nearest]
        return float(near[outside].sum() / near.sum()) if len(near) else 0.0

    def _scores(self, question: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The passages' similarities, their whole texts', every sentence's, and the
        question's vector."""
        query = self.embedder.encode([question])[0]  # float32[dim], unit length
        whole = self.vectors @ query
        parts = self.sentences @ query
        closest = whole.copy()
        if len(parts):
            best = np.maximum.reduceat(parts, self._starts)
            closest[self._owners] = np.maximum(closest[self._owners], best)
        return (1 - SENTENCE_SHARE) * whole + SENTENCE_SHARE * closest, whole, parts, query


def build_stage(
    embedder: Embedder,
    passages: Sequence[Passage],
    cache_dir: Path | None = None,
    languages: Collection[str] = LANGUAGES,
    asked: Sequence[tuple[str, int]] = (),
) -> SemanticStage:
    """The stage for ``passages`` and the tuning questions ``asked`` (each with the row of
    the passage that answered it): vectors from ``cache_dir`` when saved for this model.

    Otherwise the texts are encoded (in batches) and, with ``cache_dir``, saved there.

    Raises:
        SemanticUnavailable: the model failed on the passages.
    """
    texts = [passage_text(p) for p in passages]
    vectors = _saved_or_encoded(
        embedder, cache_dir, FILE_NAME, texts, lambda: encode_passages(embedder, passages)
    )
    questions = [question for question, _ in asked]
    precedents = None
    if questions:
        encode = partial(_alone, embedder, questions)
        precedents = _saved_or_encoded(embedder, cache_dir, QUESTIONS_FILE, questions, encode)
    rows = [row for _, row in asked]
    return SemanticStage(
        embedder, vectors, languages, rows, precedents.passages if precedents else None
    )


def _alone(embedder: Embedder, texts: Sequence[str]) -> PassageVectors:
    """``texts`` encoded as whole passages with no sentences (the tuning questions)."""
    whole = embedder.encode(list(texts))
    none = np.zeros((0, whole.shape[1]), np.float32)
    return PassageVectors(whole, none, np.zeros(0, np.int64))


def _saved_or_encoded(
    embedder: Embedder,
    cache_dir: Path | None,
    name: str,
    texts: Sequence[str],
    encode: Callable[[], PassageVectors],
) -> PassageVectors:
    """The vectors of ``texts`` saved as ``name`` in ``cache_dir`` for this model and these
    texts, else ``encode()``'s (saved there). The passages' and the tuning questions' are
    two files, so a new article re-encodes the passages only.

    Raises:
        SemanticUnavailable: the model failed on the texts.
    """
    digest = passages_digest(texts)
    path = Path(cache_dir) / name if cache_dir is not None else None
    if path is not None:
        remove_leftovers(path)  # a writer killed mid-save leaves a temp file as large as this
    vectors = load_vectors(path, embedder.identity, digest) if path else None
    if vectors is not None and len(vectors.passages) == len(texts):
        return vectors
    try:
        vectors = encode()
    except Exception as exc:  # the model's own failure on real text: stay on BM25
        raise SemanticUnavailable(f"{embedder.identity}: encoding failed: {exc}") from exc
    if path is not None:
        try:
            save_vectors(path, embedder.identity, digest, vectors)
        except OSError as exc:
            what = "question" if name == QUESTIONS_FILE else "passage"
            logger.warning("could not save %s vectors %s: %s", what, path, exc)
    return vectors


def _default_loader(model: str, cache_dir: Path | None) -> Embedder:
    return load_embedder(model, cache_dir / "models" if cache_dir is not None else None)


def attach_semantic(
    knowledge: K,
    model: str,
    cache_dir: Path | None = None,
    languages: Collection[str] = LANGUAGES,
    loader: Loader | None = None,
    reuse: Embedder | None = None,
    precedents: Path | None = None,
) -> K:
    """``knowledge`` with the semantic stage of ``model`` for ``languages``, or unchanged.

    An empty ``model`` means off. A model that cannot be loaded or run is logged once, with
    the reason, and the knowledge is returned as it was: never a crash. ``reuse`` (the
    embedder of the snapshot being replaced) is kept when it is the same model, so a reload
    neither loads the model again nor holds two copies of it. ``precedents`` is the
    tuning questions' file (`knowledge.semantic.precedents`); a bad one is logged and the
    stage serves without them.
    """
    if not model.strip():
        return knowledge
    asked = _asked(precedents, knowledge.passages) if precedents is not None else []
    try:
        if reuse is not None and reuse.identity == model_identity(model):
            embedder = reuse
        else:
            embedder = (loader or _default_loader)(model, cache_dir)
        stage = build_stage(embedder, knowledge.passages, cache_dir, languages, asked)
    except SemanticUnavailable as exc:
        logger.warning("semantic search off, BM25 only: %s", exc)
        return knowledge
    served = ", ".join(sorted(stage.languages))
    logger.info(
        "semantic search on: %s, %d passages, %d tuning questions, for %s",
        stage.identity,
        len(stage.vectors),
        len(stage.precedents),
        served,
    )
    return knowledge.with_semantic(stage)


def _asked(path: Path, passages: Sequence[Passage]) -> list[tuple[str, int]]:
    """The tuning questions of ``path`` with their passages' rows (`UNANSWERED` for the out
    of scope); none when it is bad."""
    try:
        asked = load_precedents(path)
    except KnowledgeError as exc:
        logger.warning("semantic precedents off: %s", exc.problems[0])
        return []
    return asked.rows_of(passages)


def semantic_problem(model: str, cache_dir: Path | None = None) -> str | None:
    """Why ``model`` cannot serve the semantic stage, or None when it loads (or is off)."""
    if not model.strip():
        return None
    try:
        _default_loader(model, cache_dir)
    except SemanticUnavailable as exc:
        return str(exc)
    return None

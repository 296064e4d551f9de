"""Immutable values the knowledge core hands out: sources, passages, hits, excerpts, answers."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a knowledge file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Source:
    """One article: its citation metadata and its cleaned body text."""

    id: str
    title: str
    text: str
    path: str = ""
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD as the source states it
    language: str = "en"
    digest: str = ""  # sha256 of the raw file bytes (and sidecar), for reload diffs

    def citation(self) -> str:
        """The plain-text citation: title, author/publisher, date, link when known."""
        parts = [self.title]
        parts += [p for p in (self.author, self.publisher, self.published, self.url) if p]
        return " — ".join(parts)


@dataclass(frozen=True, slots=True)
class Passage:
    """A readable, citable piece of one source."""

    id: str  # "<source id>#<position>", stable while the source is unchanged
    source_id: str
    position: int  # 0-based order within the source
    text: str
    section: str | None = None
    tags: frozenset[str] = (
        frozenset()
    )  # "stakeholder:russia", "demand:territory", "round:minsk-2014"

    @property
    def ref(self) -> str:
        """16 hex digits hashed from source, section and text: unlike ``id``, edit-proof."""
        return ref_digest(self.source_id, self.section, self.text).hex()


def ref_digest(source_id: str, section: str | None, text: str) -> bytes:
    """The 8 bytes a passage's ``ref`` spells in hex (computed without making the passage)."""
    content = f"{source_id}\0{section or ''}\0{text}".encode()
    return hashlib.blake2b(content, digest_size=8).digest()


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage's row in the index and its BM25 score for one query."""

    row: int
    score: float


@dataclass(frozen=True, slots=True)
class Excerpt:
    """What the user sees for one hit: 1–3 sentences, matched-term spans, and the source."""

    rank: int
    passage: Passage
    source: Source
    text: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) character offsets into ``text``
    score: float
    label: str | None = None  # structured answers: "Russia · Territory", "Minsk II (2015)"
    labels: tuple[tuple[str, str], ...] = ()  # the label in uk/ru: ("uk", "Росія · Санкції")

    def label_in(self, language: str) -> str | None:
        """The label in ``language`` when the taxonomy names it there, else the English one."""
        return dict(self.labels).get(language, self.label)

    def to_json(self) -> dict[str, Any]:
        """The ``results`` item of ``ask --json``."""
        return {
            "rank": self.rank,
            "source_id": self.source.id,
            "title": self.source.title,
            "author": self.source.author,
            "publisher": self.source.publisher,
            "url": self.source.url,
            "published": self.source.published,
            "passage_id": self.passage.id,
            "excerpt": self.text,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply to one question: excerpts when answered, suggestions when not."""

    question: str
    answered: bool
    excerpts: tuple[Excerpt, ...] = ()
    took_ms: float = 0.0
    offset: int = 0  # how many results came before these (for "More")
    has_more: bool = False
    language: str = "en"  # language the question was asked in: en, uk or ru
    suggestions: tuple[str, ...] = field(default=())
    topic: str | None = None  # set by structured commands: "demands:russia", ...
    as_of: str | None = None  # a "latest" question: the newest date among the excerpts shown

    @classmethod
    def page_of(
        cls,
        question: str,
        shown: Sequence[Excerpt],
        offset: int,
        top: int,
        started: float,
        language: str,
        suggestions: Sequence[str],
        topic: str | None = None,
    ) -> Answer:
        """One page (``top`` from ``offset``) of the excerpts ``shown``, ranked from offset+1.

        ``started`` is the ``time.perf_counter()`` reading when answering began; the
        suggestions are kept only when the page is empty.
        """
        offset = max(0, min(offset, len(shown)))
        page = tuple(
            replace(e, rank=offset + i + 1) for i, e in enumerate(shown[offset : offset + top])
        )
        return cls(
            question=question,
            answered=bool(page),
            excerpts=page,
            took_ms=(time.perf_counter() - started) * 1000,
            offset=offset,
            has_more=len(shown) > offset + top,
            language=language,
            suggestions=() if page else tuple(suggestions),
            topic=topic,
        )

    def to_json(self) -> dict[str, Any]:
        """The one place the ``ask --json`` shape is defined (SPEC §1)."""
        shape = {
            "question": self.question,
            "answered": self.answered,
            "took_ms": round(self.took_ms, 3),
            "results": [e.to_json() for e in self.excerpts],
        }
        return {**shape, "as_of": self.as_of} if self.as_of else shape

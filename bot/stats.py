"""The question log: SQLite under ``storage.dir``, written and queried off the event loop."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot import db

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    asked_at REAL NOT NULL,      -- unix time, seconds
    via TEXT NOT NULL,           -- private, group, inline, button
    question TEXT NOT NULL,      -- normalised: lower case, single spaces
    answered INTEGER NOT NULL,   -- 1 answered, 0 no sourced answer
    took_ms REAL NOT NULL        -- time the core took to answer, milliseconds
);
CREATE INDEX IF NOT EXISTS questions_unanswered ON questions (answered, question);
"""
LATENCY_WINDOW = 10_000  # latest questions the percentiles are computed over
KEEP = 100_000  # questions kept by default (storage.max_questions); older ones are deleted


@dataclass(frozen=True, slots=True)
class Summary:
    """What ``/stats`` shows about the questions served."""

    questions: int
    unanswered: int
    p50_ms: float | None
    p95_ms: float | None
    top_unanswered: tuple[tuple[str, int], ...]

    @property
    def unanswered_rate(self) -> float | None:
        """Share of questions without a sourced answer, None before the first question."""
        return self.unanswered / self.questions if self.questions else None


def percentile(sorted_values: list[float], share: float) -> float | None:
    """Nearest-rank percentile of already sorted values (``share`` in 0..1)."""
    if not sorted_values:
        return None
    rank = max(1, round(share * len(sorted_values) + 0.4999))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def normalise(question: str) -> str:
    """The form questions are grouped by."""
    return " ".join(question.lower().split())[:500]


def question_summary(con: sqlite3.Connection, top: int = 10) -> Summary:
    """Counts, latency percentiles and the ``top`` unanswered questions of the log in ``con``."""
    total, unanswered = con.execute(
        "SELECT COUNT(*), COALESCE(SUM(1 - answered), 0) FROM questions"
    ).fetchone()
    latest = con.execute(
        "SELECT took_ms FROM questions ORDER BY rowid DESC LIMIT ?", (LATENCY_WINDOW,)
    ).fetchall()
    missing = con.execute(
        "SELECT question, COUNT(*) AS n FROM questions WHERE answered = 0 "
        "GROUP BY question ORDER BY n DESC, MAX(rowid) DESC LIMIT ?",
        (top,),
    ).fetchall()
    times = sorted(t for (t,) in latest)
    return Summary(
        total,
        unanswered,
        percentile(times, 0.5),
        percentile(times, 0.95),
        tuple((q, n) for q, n in missing),
    )


class QuestionLog:
    """Log of the latest ``keep`` questions; each call opens its own connection (thread-safe).

    Opening checks the file: an unreadable one is moved aside and a new log started, since
    the log is not worth refusing to serve for.
    """

    def __init__(self, path: Path, keep: int = KEEP) -> None:
        self.path = path
        self.keep = keep
        db.prepare(path, SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return db.connect(self.path)

    def record(self, question: str, answered: bool, took_ms: float, via: str) -> None:
        """Log one question."""
        row = (time.time(), via, normalise(question), int(answered), took_ms)
        with closing(self._connect()) as con, con:
            rowid = con.execute("INSERT INTO questions VALUES (?, ?, ?, ?, ?)", row).lastrowid
            con.execute("DELETE FROM questions WHERE rowid <= ?", ((rowid or 0) - self.keep,))

    def summary(self, top: int = 10) -> Summary:
        """Counts, latency percentiles and the most frequent unanswered questions."""
        with closing(self._connect()) as con:
            return question_summary(con, top)

    async def arecord(self, question: str, answered: bool, took_ms: float, via: str) -> None:
        """:meth:`record` in a worker thread; a failure is logged once (``db.failed``), never
        raised to the user."""
        try:
            await asyncio.to_thread(self.record, question, answered, took_ms, via)
        except sqlite3.Error as exc:
            db.failed(self.path, "log a question", exc)
        else:
            db.worked(self.path)

    async def asummary(self, top: int = 10) -> Summary:
        """:meth:`summary` in a worker thread."""
        return await asyncio.to_thread(self.summary, top)

"""Votes on answers (👍 / 👎 and a reason), in the bot's one SQLite database, and their summary.

One vote per user per answer, changed by voting again. Each vote keeps its own copy of the
question and of the passages shown, so it outlives the answer row behind the buttons.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot import db
from bot.answers import Shown
from bot.keyboards import REASONS
from bot.stats import normalise

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (
    token TEXT NOT NULL,         -- the answer voted on (bot.answers)
    user_id INTEGER NOT NULL,
    vote INTEGER NOT NULL,       -- 1 helpful, -1 not helpful
    reason TEXT,                 -- for -1: a key of bot.keyboards.REASONS, or NULL
    question TEXT NOT NULL,      -- normalised, as answered
    passages TEXT NOT NULL,      -- JSON list of the passage ids shown, in rank order
    voted_at REAL NOT NULL,      -- unix time, seconds
    PRIMARY KEY (token, user_id)
);
CREATE INDEX IF NOT EXISTS votes_question ON votes (question);
"""
KEEP = 100_000  # votes kept; the oldest are deleted beyond it


@dataclass(frozen=True, slots=True)
class VoteSummary:
    """What ``/stats`` shows about the votes."""

    up: int
    down: int
    reasons: tuple[tuple[str, int], ...]  # (reason label, count), most frequent first
    most_down: tuple[tuple[str, int, int], ...]  # (question, 👎, 👍), most 👎 first

    @property
    def helpful_rate(self) -> float | None:
        """Share of 👍 among votes, None before the first vote."""
        return self.up / (self.up + self.down) if self.up + self.down else None


def vote_summary(con: sqlite3.Connection, top: int = 5) -> VoteSummary:
    """Counts, 👎 reasons and the ``top`` most down-voted questions of the votes in ``con``."""
    up, down = con.execute(
        "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM votes"
    ).fetchone()
    reasons = con.execute(
        "SELECT reason, COUNT(*) AS n FROM votes WHERE vote < 0 AND reason IS NOT NULL "
        "GROUP BY reason ORDER BY n DESC, reason"
    ).fetchall()
    worst = con.execute(
        "SELECT question, SUM(vote < 0) AS down, SUM(vote > 0) FROM votes "
        "GROUP BY question HAVING down > 0 ORDER BY down DESC, MAX(voted_at) DESC LIMIT ?",
        (top,),
    ).fetchall()
    labelled = tuple((REASONS.get(r, r), n) for r, n in reasons)
    return VoteSummary(up, down, labelled, tuple((q, d, u) for q, d, u in worst))


class VoteLog:
    """The votes; thread-safe (a connection a call)."""

    def __init__(self, path: Path, keep: int = KEEP) -> None:
        self.path = path
        self.keep = keep
        db.prepare(path, SCHEMA)

    def vote(self, shown: Shown, user_id: int, vote: int, reason: str | None = None) -> int | None:
        """Record (or change) ``user_id``'s vote on ``shown``: 1 or -1, with an optional reason.

        Returns the user's vote before this one (None for a first vote).
        """
        if vote not in (1, -1) or (reason is not None and (vote != -1 or reason not in REASONS)):
            raise ValueError(f"not a vote: {vote} {reason}")
        row = (shown.token, user_id, vote, reason, normalise(shown.question))
        row += (json.dumps(shown.passage_ids), time.time())
        with closing(db.connect(self.path)) as con, con:
            before = con.execute(
                "SELECT vote FROM votes WHERE token = ? AND user_id = ?", (shown.token, user_id)
            ).fetchone()
            con.execute(
                "INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token, user_id) "
                "DO UPDATE SET vote = excluded.vote, reason = excluded.reason, "
                "voted_at = excluded.voted_at",
                row,
            )
            (last,) = con.execute("SELECT MAX(rowid) FROM votes").fetchone()
            con.execute("DELETE FROM votes WHERE rowid <= ?", ((last or 0) - self.keep,))
        return before[0] if before else None

    def summary(self, top: int = 5) -> VoteSummary:
        """Counts, 👎 reasons and the most down-voted questions."""
        with closing(db.connect(self.path)) as con:
            return vote_summary(con, top)

    async def avote(
        self, shown: Shown, user_id: int, vote: int, reason: str | None = None
    ) -> tuple[bool, int | None]:
        """:meth:`vote` in a worker thread: (kept, the vote before); kept is False (logged)
        when it could not be written."""
        try:
            before = await asyncio.to_thread(self.vote, shown, user_id, vote, reason)
        except sqlite3.Error as exc:
            db.failed(self.path, "record a vote", exc)
            return False, None
        db.worked(self.path)
        return True, before

    async def asummary(self, top: int = 5) -> VoteSummary:
        """:meth:`summary` in a worker thread."""
        return await asyncio.to_thread(self.summary, top)

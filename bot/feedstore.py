"""What the bot remembers about its feeds (SQLite ``storage.dir/news.sqlite3``): validators,
last poll, items added, errors and back-off, and the entries already handled."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot import db

__all__ = ["FeedState", "FeedStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,                     -- validators for the next conditional GET
    last_modified TEXT,
    last_poll REAL,                -- unix time of the last poll, seconds
    last_error TEXT,               -- the last poll's failure, NULL after a good poll
    added INTEGER NOT NULL DEFAULT 0,     -- articles added from this feed, ever
    failures INTEGER NOT NULL DEFAULT 0,  -- polls failed in a row (drives the back-off)
    next_due REAL NOT NULL DEFAULT 0      -- unix time before which the feed is not polled
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed TEXT NOT NULL,
    entry TEXT NOT NULL,           -- the entry's id, else its link
    attempts INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,      -- 1: added, already known, or not about the talks
    updated TEXT,                  -- the entry's updated time (UTC) when its article was saved
    source TEXT,                   -- the file its article was saved as (added from this feed)
    fingerprint TEXT,              -- the entry's title and summary (feedparse) when saved
    recheck_after REAL,            -- unix time before which an edit is not fetched: the last
                                   -- fetch of an edit found the article unchanged
    PRIMARY KEY (feed, entry)
);
"""
ADDED = (  # a store from before edited entries were fetched again: its rows have neither
    ("feed_entries", "updated", "TEXT"),
    ("feed_entries", "source", "TEXT"),
    ("feed_entries", "fingerprint", "TEXT"),  # a store from before RSS edits were noticed
    ("feed_entries", "recheck_after", "REAL"),  # ... or before false edits were let rest
)
MAX_ATTEMPTS = 3  # an entry whose article failed this many times is given up
MAX_ENTRIES = 5_000  # entries remembered per feed (the newest); a feed lists a few dozen
MAX_BACKOFF_S = 86_400  # a failing feed is still tried once a day
# An entry whose edit brought an unchanged article (a summary that says "2 hours ago", a
# view count) is not fetched again for an edit for this long: not at every poll.
EDIT_REST_S = 6 * 3600


@dataclass(frozen=True, slots=True)
class FeedState:
    """One feed's row."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll: float | None = None
    last_error: str | None = None
    added: int = 0
    failures: int = 0
    next_due: float = 0.0


class FeedStore:
    """The feed tables; every call opens its own short connection (safe from any thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        db.prepare(path, SCHEMA, ADDED)

    def _connect(self) -> sqlite3.Connection:
        return db.connect(self.path)

    def state(self, url: str) -> FeedState:
        """The feed's state (a fresh one before its first poll)."""
        with closing(self._connect()) as con:
            row = con.execute(
                "SELECT url, etag, last_modified, last_poll, last_error, added, failures, "
                "next_due FROM feeds WHERE url = ?",
                (url,),
            ).fetchone()
        return FeedState(*row) if row else FeedState(url)

    def polled(
        self, url: str, etag: str | None, last_modified: str | None, added: int, every_s: int
    ) -> None:
        """A good poll: keep the validators, count the articles, due again in ``every_s``."""
        now = time.time()
        with closing(self._connect()) as con, con:
            con.execute(
                "INSERT INTO feeds (url, etag, last_modified, last_poll, added, next_due) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "etag = excluded.etag, last_modified = excluded.last_modified, "
                "last_poll = excluded.last_poll, last_error = NULL, failures = 0, "
                "added = feeds.added + excluded.added, next_due = excluded.next_due",
                (url, etag, last_modified, now, added, now + every_s),
            )

    def failed(self, url: str, error: str, every_s: int) -> float:
        """A failed poll: remember why and back off (doubling, at most a day); returns the wait."""
        now = time.time()
        failures = self.state(url).failures + 1
        wait = min(every_s * 2 ** min(failures, 16), MAX_BACKOFF_S)
        with closing(self._connect()) as con, con:
            con.execute(
                "INSERT INTO feeds (url, last_poll, last_error, failures, next_due) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "last_poll = excluded.last_poll, last_error = excluded.last_error, "
                "failures = excluded.failures, next_due = excluded.next_due",
                (url, now, error, failures, now + wait),
            )
        return wait

    def pending(self, feed: str, entries: list[str]) -> set[str]:
        """Those of ``entries`` still to handle: not done and not given up."""
        with closing(self._connect()) as con:
            rows = con.execute(
                "SELECT entry FROM feed_entries WHERE feed = ? AND (done = 1 OR attempts >= ?)",
                (feed, MAX_ATTEMPTS),
            ).fetchall()
        finished = {r[0] for r in rows}
        return {e for e in entries if e not in finished}

    def retrying(self, feed: str) -> set[str]:
        """The feed's entries whose article failed and that are not yet given up."""
        with closing(self._connect()) as con:
            rows = con.execute(
                "SELECT entry FROM feed_entries WHERE feed = ? AND done = 0 AND attempts < ?",
                (feed, MAX_ATTEMPTS),
            ).fetchall()
        return {r[0] for r in rows}

    def waiting(self, entries: list[tuple[str, str]]) -> None:
        """Keep each ``(feed, entry)`` to try again without using up an attempt."""
        with closing(self._connect()) as con, con:
            con.executemany(
                "INSERT INTO feed_entries (feed, entry, attempts, done) VALUES (?, ?, 0, 0) "
                "ON CONFLICT(feed, entry) DO NOTHING",
                entries,
            )

    def handled(self, entries: list[tuple[str, str, bool]]) -> None:
        """Record one attempt at each ``(feed, entry, done)``; ``done`` when it needs no other.

        Each feed keeps its newest ``MAX_ENTRIES``: over months a busy feed would otherwise
        grow the table (and every poll's read of it) without end.
        """
        with closing(self._connect()) as con, con:
            con.executemany(
                "INSERT INTO feed_entries (feed, entry, attempts, done) VALUES (?, ?, 1, ?) "
                "ON CONFLICT(feed, entry) DO UPDATE SET attempts = attempts + 1, "
                "done = max(done, excluded.done)",
                [(feed, entry, int(done)) for feed, entry, done in entries],
            )
            for feed in sorted({feed for feed, _, _ in entries}):
                con.execute(
                    "DELETE FROM feed_entries WHERE feed = ? AND rowid <= (SELECT rowid FROM "
                    "feed_entries WHERE feed = ? ORDER BY rowid DESC LIMIT 1 OFFSET ?)",
                    (feed, feed, MAX_ENTRIES),
                )

    def saved(
        self,
        entries: list[tuple[str, str, str | None, str, str]],
        unchanged: Collection[tuple[str, str]] = (),
        now: float | None = None,
    ) -> None:
        """Remember each ``(feed, entry, updated, fingerprint, source)``: its article saved as
        the file ``source`` while the entry showed that updated time and fingerprint. Those
        of ``unchanged`` (feed, entry) were fetched for an edit and found as saved: their
        edits rest for `EDIT_REST_S` from ``now``."""
        rest = (time.time() if now is None else now) + EDIT_REST_S
        with closing(self._connect()) as con, con:
            con.executemany(
                "UPDATE feed_entries SET updated = ?, fingerprint = ?, source = ?, "
                "recheck_after = ? WHERE feed = ? AND entry = ?",
                [
                    (up, mark, source, rest if (feed, entry) in unchanged else None, feed, entry)
                    for feed, entry, up, mark, source in entries
                ],
            )

    def edited(
        self, feed: str, seen: dict[str, tuple[str | None, str]], now: float | None = None
    ) -> dict[str, str]:
        """The file saved for each of the feed's entries edited since its article was saved,
        from what the feed shows now (``seen``: entry -> (updated time in UTC, fingerprint)):
        a newer updated time, or another fingerprint (RSS seldom gives an updated time).
        An entry whose last edit brought an unchanged article rests until its recheck time.

        An entry saved before fingerprints were kept gets the one seen now, silently: an
        upgrade must not fetch every saved article again at once.
        """
        now = time.time() if now is None else now
        with closing(self._connect()) as con, con:
            rows = con.execute(
                "SELECT entry, updated, fingerprint, source, recheck_after FROM feed_entries "
                "WHERE feed = ? AND done = 1 AND source IS NOT NULL",
                (feed,),
            ).fetchall()
            unmarked = [(seen[e][1], feed, e) for e, _, mark, *_ in rows if e in seen and not mark]
            con.executemany(
                "UPDATE feed_entries SET fingerprint = ? WHERE feed = ? AND entry = ?", unmarked
            )
        return {
            e: source
            for e, then, mark, source, rest in rows
            if e in seen and (rest is None or rest <= now) and _is_edit(seen[e], then, mark)
        }


def _is_edit(now: tuple[str | None, str], then: str | None, mark: str | None) -> bool:
    """Whether an entry showing ``now`` (updated time, fingerprint) differs from its article
    saved at ``then`` with the fingerprint ``mark`` (None: not known, so no edit)."""
    updated, fingerprint = now
    return bool(updated and then and updated > then) or bool(mark and fingerprint != mark)

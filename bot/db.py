"""The bot's one SQLite database, ``storage.dir/questions.sqlite3``: the only place it is opened.

Every connection waits up to ``BUSY_TIMEOUT_S`` for another's lock (several bot processes may
share the file); the file is in WAL mode, so readers never block the writer. The question log,
the answers behind buttons and the votes each keep their tables here.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_NAME = "questions.sqlite3"
BUSY_TIMEOUT_S = 10.0  # how long a statement waits for another connection's lock


def path_in(storage_dir: Path) -> Path:
    """Where the database lives under ``storage.dir``."""
    return storage_dir / FILE_NAME


def connect(path: Path) -> sqlite3.Connection:
    """A new connection to ``path`` with the busy timeout (one per call: thread-safe use)."""
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)


def check(path: Path) -> None:
    """Raise ``sqlite3.DatabaseError`` unless ``path`` is a readable database (opened read-only)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        (verdict,) = db.execute("PRAGMA quick_check").fetchone()
    if verdict != "ok":
        raise sqlite3.DatabaseError(verdict)


def prepare(path: Path, schema: str) -> None:
    """Create ``schema``'s tables in ``path``, in WAL mode.

    An unreadable file is moved aside (one warning) and a new one started: the bot's own state
    is not worth refusing to serve for.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _create(path, schema)
    except sqlite3.DatabaseError as exc:
        aside = move_aside(path)
        logger.warning("database %s unreadable (%s): moved to %s", path, exc, aside)
        _create(path, schema)


def _create(path: Path, schema: str) -> None:
    with closing(connect(path)) as db:
        (verdict,) = db.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise sqlite3.DatabaseError(verdict)
        db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        db.executescript(schema)


def move_aside(path: Path) -> Path:
    """Rename ``path`` (dropping its WAL files) to ``NAME.corrupt-<time>``; returns the new path."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
    os.replace(path, aside)
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    return aside

"""The bot's one SQLite database, ``storage.dir/questions.sqlite3``: the only place it is opened.

Every connection waits up to ``BUSY_TIMEOUT_S`` for another's lock (several bot processes may
share the file); the file is in WAL mode, so readers never block the writer. The question log,
the answers behind buttons and the votes each keep their tables here.
"""

from __future__ import annotations

import itertools
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_NAME = "questions.sqlite3"
BUSY_TIMEOUT_S = 10.0  # how long a statement waits for another connection's lock
WAL_LIMIT_BYTES = 4 * 1024 * 1024  # a checkpointed write-ahead log is cut back to this size
KEEP_CORRUPT = 3  # corrupt copies moved aside that are kept (the newest)
MAX_ANCHORS = 8  # databases kept open by _anchor (one in production; tests make many)
_anchors: OrderedDict[Path, sqlite3.Connection] = OrderedDict()
_anchors_lock = threading.Lock()
_prepared: set[tuple[Path, str]] = set()  # (database, schema) already created and checked
_outages: dict[str, Outage] = {}  # databases failing now (full disk, read-only), by path


def path_in(storage_dir: Path) -> Path:
    """Where the database lives under ``storage.dir``."""
    return storage_dir / FILE_NAME


def connect(path: Path) -> sqlite3.Connection:
    """A new connection to ``path`` with the busy timeout (one per call: thread-safe use).

    ``synchronous=NORMAL``: in WAL mode a commit is not flushed to disk until a checkpoint,
    so a power cut may lose the last moments' rows but never corrupts the file; a commit then
    takes well under a millisecond instead of an fsync (about 20 ms on a busy disk).
    """
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    con.execute("PRAGMA synchronous=NORMAL")
    # a burst of overlapping readers and writers can outrun checkpoints and grow the WAL by
    # hundreds of MB; without a limit the file never shrinks again while the bot runs
    con.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
    return con


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that only reads ``path``: it never creates the file, a table or WAL mode.

    For reports (``python -m bot stats``), which must leave the bot's folder as they found it.
    A WAL database with no ``-wal`` file is open nowhere: a ``mode=ro`` connection would leave
    an empty ``-wal`` and ``-shm`` behind (it may not checkpoint, so never deletes them). It is
    opened read-write with ``query_only`` instead, and its close, the last, deletes them. While
    the bot has it open (a ``-wal`` file), ``mode=ro`` reads the log's latest rows with the
    usual locks and creates nothing. Never ``immutable=1``: it skips the locks and the WAL, so
    it reads stale rows, or a torn page, while the bot writes.
    """
    mode = "ro" if Path(f"{path}-wal").exists() else "rw"  # "rw" never creates the file either
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    con.execute("PRAGMA query_only=ON")  # no statement of this connection writes
    return con


def has_table(con: sqlite3.Connection, name: str) -> bool:
    """Whether the database of ``con`` holds the table ``name``."""
    found = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None


def check(path: Path) -> None:
    """Raise ``sqlite3.DatabaseError`` unless ``path`` is a readable database (opened read-only)."""
    with closing(read_only(path)) as db:
        (verdict,) = db.execute("PRAGMA quick_check").fetchone()
    if verdict != "ok":
        raise sqlite3.DatabaseError(verdict)


Column = tuple[str, str, str]  # (table, column, its definition), added after the first release


def prepare(path: Path, schema: str, added: Sequence[Column] = ()) -> None:
    """Create ``schema``'s tables in ``path``, in WAL mode (checked once per process); a table
    made before one of the ``added`` columns existed gains it in place.

    A corrupt file is moved aside (one warning) and a new one started: the bot's own state is
    not worth refusing to serve for. A passing failure (the file cannot be opened, the disk is
    full, a lock) is raised, never taken for corruption: moving a sound file aside loses it.

    Raises:
        sqlite3.OperationalError: the database cannot be used now.
    """
    with _anchors_lock:
        if (path.resolve(), schema) in _prepared and path.exists():
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _create(path, schema, added)
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed", a bad check
        aside = move_aside(path)
        logger.warning("database %s unreadable (%s): moved to %s", path, exc, aside)
        _create(path, schema, added)
    _anchor(path)
    with _anchors_lock:
        _prepared.add((path.resolve(), schema))


def _anchor(path: Path) -> None:
    """Keep one idle connection to ``path`` open while the process runs.

    Closing the last connection to a WAL database checkpoints it, an fsync: with a connection
    per call every write paid it (about 18 ms a write here; 0.6 ms with the anchor). Checkpoints
    still happen as the WAL grows, in whichever connection commits.
    """
    key = path.resolve()
    with _anchors_lock:
        if key in _anchors:
            return
        anchor = sqlite3.connect(key, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        anchor.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # opens the WAL index
        _anchors[key] = anchor
        while len(_anchors) > MAX_ANCHORS:
            gone, connection = _anchors.popitem(last=False)
            connection.close()
            _prepared.difference_update({p for p in _prepared if p[0] == gone})


def _create(path: Path, schema: str, added: Sequence[Column] = ()) -> None:
    with closing(connect(path)) as db:
        (verdict,) = db.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise sqlite3.DatabaseError(verdict)
        db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        db.executescript(schema)
        for table, column, definition in added:
            if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def move_aside(path: Path, now: float | None = None) -> Path:
    """Rename ``path`` (dropping its WAL files) to ``NAME.corrupt-<time>``; returns the new path.

    The newest ``KEEP_CORRUPT`` such files are kept for a post-mortem and older ones deleted:
    a disk that keeps corrupting the file would otherwise fill up with copies of it.
    """
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(time.time() if now is None else now))
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    for n in itertools.count(1):  # twice in one second: never overwrite the first copy
        if not aside.exists():
            break
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, aside)
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    kept = sorted(path.parent.glob(f"{path.name}.corrupt-*"), reverse=True)  # newest first
    for old in kept[KEEP_CORRUPT:]:
        old.unlink(missing_ok=True)
        logger.info("deleted %s (the newest %d corrupt copies are kept)", old, KEEP_CORRUPT)
    return aside


@dataclass(slots=True)
class Outage:
    """A database failing since its first failure: why, and how often since."""

    reason: str
    failures: int = 1


def failed(path: Path, what: str, error: sqlite3.Error) -> None:
    """A use of the database at ``path`` failed (the caller carries on without it).

    Logged once per outage, as a warning naming the cause (a full disk, a read-only file);
    the failures after it at debug level: a bot answering without its storage would
    otherwise log a traceback per message.
    """
    outage = _outages.get(str(path))
    if outage is not None:
        outage.failures += 1
        logger.debug("%s: cannot %s either: %s", path, what, error)
        return
    _outages[str(path)] = Outage(str(error))
    logger.warning(
        "%s: cannot %s: %s; answering without it until it works again", path, what, error
    )


def worked(path: Path) -> None:
    """A use of the database at ``path`` succeeded: the end of an outage is logged once."""
    outage = _outages.pop(str(path), None)
    if outage is not None:
        logger.info("%s works again (%d operation(s) failed meanwhile)", path, outage.failures)


def trouble(path: Path) -> str | None:
    """Why the database at ``path`` is failing now; None while it works."""
    outage = _outages.get(str(path))
    return outage.reason if outage is not None else None

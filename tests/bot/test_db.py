"""The bot's one SQLite file: WAL, busy timeout, kept open so writes skip the closing checkpoint."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot import db

SCHEMA = "CREATE TABLE IF NOT EXISTS t (x INTEGER);"


def test_prepare_makes_a_wal_database_with_the_tables(tmp_path: Path) -> None:
    path = db.path_in(tmp_path / "state")
    db.prepare(path, SCHEMA)
    with closing(db.connect(path)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        assert con.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


def test_a_write_does_not_checkpoint_on_close(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    db.prepare(path, SCHEMA)
    with closing(db.connect(path)) as con, con:
        con.execute("INSERT INTO t VALUES (1)")
    # the last connection to close would checkpoint and delete the WAL: one stays open
    assert Path(f"{path}-wal").stat().st_size > 0


def test_check_opens_read_only_and_refuses_garbage(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    path.write_bytes(b"\x00garbage" * 512)
    with pytest.raises(sqlite3.DatabaseError):
        db.check(path)
    assert path.read_bytes() == b"\x00garbage" * 512
    good = tmp_path / "good.sqlite3"
    db.prepare(good, SCHEMA)
    db.check(good)


@pytest.mark.parametrize("store", ["feeds", "followers"])
def test_the_news_stores_open_news_sqlite3_through_db(tmp_path: Path, store: str) -> None:
    from bot.feedstore import FeedStore
    from bot.followers import FollowerStore

    path = tmp_path / "news.sqlite3"
    path.write_bytes(b"\x00garbage" * 512)  # an unreadable file is moved aside, not fatal
    opened = FeedStore(path) if store == "feeds" else FollowerStore(path)
    assert len(list(tmp_path.glob("news.sqlite3.corrupt-*"))) == 1
    with closing(opened._connect()) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("PRAGMA busy_timeout").fetchone() == (db.BUSY_TIMEOUT_S * 1000,)


def test_a_passing_failure_is_raised_and_never_moves_the_database_aside(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "news.sqlite3"
    db.prepare(path, SCHEMA)
    with closing(db.connect(path)) as con, con:
        con.execute("INSERT INTO t VALUES (7)")

    def out_of_files(*_: object) -> None:  # what EMFILE, a full disk or a lock look like
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(db, "_create", out_of_files)
    with pytest.raises(sqlite3.OperationalError):
        db.prepare(path, SCHEMA + " ")  # another store's schema: checked for the first time
    assert list(tmp_path.glob("*.corrupt-*")) == []
    with closing(db.connect(path)) as con:
        assert con.execute("SELECT x FROM t").fetchall() == [(7,)]


def test_a_database_is_checked_once_per_process(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "q.sqlite3"
    db.prepare(path, SCHEMA)
    monkeypatch.setattr(db, "_create", lambda *_: pytest.fail("checked again"))
    db.prepare(path, SCHEMA)  # e.g. every /follow opens the follower store


def test_a_checkpointed_wal_is_cut_back_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    db.prepare(path, SCHEMA)
    with closing(db.connect(path)) as con:
        assert con.execute("PRAGMA journal_size_limit").fetchone() == (db.WAL_LIMIT_BYTES,)
        reader = db.connect(path)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM t").fetchone()  # holds the WAL: no checkpoint
        with con:
            con.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(400_000)])
        grown = Path(f"{path}-wal").stat().st_size
        assert grown > db.WAL_LIMIT_BYTES
        reader.rollback()
        reader.close()
        con.execute("PRAGMA wal_checkpoint")
        with con:
            con.execute("INSERT INTO t VALUES (1)")  # the next write starts the WAL over
    assert Path(f"{path}-wal").stat().st_size <= db.WAL_LIMIT_BYTES


def test_corrupt_copies_moved_aside_are_bounded_newest_kept(tmp_path: Path) -> None:
    path = tmp_path / "questions.sqlite3"
    for n in range(5):  # a failing disk, corrupting the file again and again
        path.write_bytes(f"garbage {n}".encode())
        db.move_aside(path, now=1_800_000_000 + n // 2)  # two in one second: both kept
    aside = sorted(tmp_path.glob("questions.sqlite3.corrupt-*"))
    assert [p.read_bytes() for p in aside] == [b"garbage 2", b"garbage 3", b"garbage 4"]
    assert [p.name for p in aside] == [
        "questions.sqlite3.corrupt-20270115T080001",
        "questions.sqlite3.corrupt-20270115T080001-1",
        "questions.sqlite3.corrupt-20270115T080002",
    ]

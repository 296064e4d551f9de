"""The SQLite question log and its /stats summary."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from bot.stats import QuestionLog, normalise, percentile


def test_summary_counts_latency_and_top_unanswered(tmp_path: Path) -> None:
    log = QuestionLog(tmp_path / "deep" / "q.sqlite3")
    for ms in range(1, 11):
        log.record(f"answered {ms}", True, float(ms), "private")
    for question in ("Pizza  in Naples?", "pizza in naples?", "Flights to Lima?"):
        log.record(question, False, 5.0, "group")
    summary = log.summary()
    assert summary.questions == 13 and summary.unanswered == 3
    assert summary.unanswered_rate == 3 / 13
    assert summary.p50_ms == 5.0 and summary.p95_ms == 10.0
    assert summary.top_unanswered == (("pizza in naples?", 2), ("flights to lima?", 1))


def test_empty_log(tmp_path: Path) -> None:
    summary = QuestionLog(tmp_path / "q.sqlite3").summary()
    assert summary.questions == 0 and summary.unanswered_rate is None
    assert summary.p50_ms is None and summary.top_unanswered == ()


def test_log_survives_reopening(tmp_path: Path) -> None:
    QuestionLog(tmp_path / "q.sqlite3").record("x", True, 1.0, "inline")
    assert QuestionLog(tmp_path / "q.sqlite3").summary().questions == 1


async def test_async_wrappers(tmp_path: Path) -> None:
    log = QuestionLog(tmp_path / "q.sqlite3")
    await log.arecord("why?", False, 2.0, "private")
    assert (await log.asummary()).top_unanswered == (("why?", 1),)


def test_percentile_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([1.0], 0.95) == 1.0
    assert percentile([float(i) for i in range(1, 101)], 0.95) == 95.0
    assert normalise("  What   DOES\tRussia want? ") == "what does russia want?"


def test_a_corrupt_log_is_moved_aside_and_a_new_one_started(tmp_path: Path, caplog) -> None:
    path = tmp_path / "questions.sqlite3"
    garbage = b"this is not a database, a disk error wrote it " * 200
    path.write_bytes(garbage)
    log = QuestionLog(path)
    log.record("who mediates?", True, 1.0, "private")
    assert log.summary().questions == 1
    (aside,) = tmp_path.glob("questions.sqlite3.corrupt-*")
    assert aside.read_bytes() == garbage  # kept for a post-mortem, not deleted
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and str(aside) in warnings[0]


def test_the_log_keeps_a_bounded_history(tmp_path: Path) -> None:
    log = QuestionLog(tmp_path / "q.sqlite3", keep=3)
    for i in range(5):
        log.record(f"unanswered {i}", False, 1.0, "private")
    summary = log.summary()
    assert summary.questions == 3
    kept = {question for question, _ in summary.top_unanswered}
    assert kept == {"unanswered 2", "unanswered 3", "unanswered 4"}


def test_the_log_uses_write_ahead_logging(tmp_path: Path) -> None:
    QuestionLog(tmp_path / "q.sqlite3").record("x", True, 1.0, "inline")
    with closing(sqlite3.connect(tmp_path / "q.sqlite3")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)

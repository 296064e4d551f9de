"""`python -m bot stats [--config FILE] [--json]`: what /stats shows, read from storage.dir."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot import answers, db, stats
from bot.answers import Shown
from bot.feedback import VoteLog
from bot.stats import QuestionLog
from tests.helpers.cli import run_cli, run_module


def config_with_history(tmp_path: Path) -> Path:
    """A config whose storage.dir holds two questions (one unanswered) and three votes."""
    storage = tmp_path / "state"
    path = db.path_in(storage)
    log = QuestionLog(path)
    log.record("What does Russia demand?", True, 4.0, "private")
    log.record("Best pizza in Naples?", False, 2.0, "private")
    votes = VoteLog(path)
    shown = Shown(answers.new_token(), 1, 2, "What does Russia demand?", ("k",), ("minsk#1",))
    votes.vote(shown, 1, 1)
    votes.vote(shown, 2, -1, "w")
    votes.vote(shown, 3, -1)
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  dir: state\n", encoding="utf-8")
    return config


def test_stats_prints_what_the_stats_command_shows(tmp_path: Path) -> None:
    result = run_cli("stats", "--config", str(config_with_history(tmp_path)))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Stats" and lines[1].startswith("Sources: 4, passages: ")
    assert "Questions served: 2" in lines and "No-answer rate: 50%" in lines
    assert "Votes: 1 👍, 2 👎 (helpful rate 33%)" in lines
    assert "Why 👎: Wrong source 1" in lines
    assert "1× best pizza in naples?" in lines
    assert lines[-1] == "2👎 1👍 what does russia demand?"


def test_stats_json(tmp_path: Path) -> None:
    data = run_cli("stats", "--json", "--config", str(config_with_history(tmp_path))).json
    assert data["questions"] == 2 and data["unanswered_rate"] == 0.5
    assert data["top_unanswered"] == [{"question": "best pizza in naples?", "count": 1}]
    assert data["latency_ms"] == {"p50": 2.0, "p95": 4.0}
    assert data["votes"] == {
        "up": 1,
        "down": 2,
        "helpful_rate": 1 / 3,
        "reasons": {"Wrong source": 1},
        "most_down_voted": [{"question": "what does russia demand?", "down": 2, "up": 1}],
    }


def test_stats_before_the_first_start_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  dir: state\n", encoding="utf-8")
    data = run_cli("stats", "--json", "--config", str(config)).json
    assert data["questions"] == 0 and data["votes"]["helpful_rate"] is None
    assert not (tmp_path / "state").exists()


@pytest.mark.parametrize(
    ("schema", "questions"),
    [
        ("", 0),  # an empty file: no table at all
        (stats.SCHEMA + "INSERT INTO questions VALUES (1, 'private', 'minsk?', 1, 3.0);", 1),
    ],
    ids=["no tables", "questions but no votes"],
)
def test_stats_reads_a_database_without_its_tables_and_changes_nothing(
    tmp_path: Path, schema: str, questions: int
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  dir: state\n", encoding="utf-8")
    path = db.path_in(tmp_path / "state")
    path.parent.mkdir()
    with closing(sqlite3.connect(path)) as con:
        con.executescript(schema)
    before, files = path.read_bytes(), sorted(path.parent.iterdir())
    result = run_cli("stats", "--json", "--config", str(config))
    assert result.code == 0 and result.err == ""
    assert result.json["questions"] == questions
    assert result.json["votes"]["up"] == result.json["votes"]["down"] == 0
    assert path.read_bytes() == before and sorted(path.parent.iterdir()) == files


def test_an_unreadable_database_is_named_and_left_alone(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  dir: state\n", encoding="utf-8")
    path = db.path_in(tmp_path / "state")
    path.parent.mkdir()
    path.write_bytes(b"\x00garbage" * 512)
    result = run_cli("stats", "--config", str(config))
    assert result.code == 1 and result.out == ""
    assert result.err.startswith(f"{path}: unreadable database")
    assert path.read_bytes() == b"\x00garbage" * 512


def test_module_stats(tmp_path: Path) -> None:
    result = run_module("stats", "--json", "--config", str(config_with_history(tmp_path)))
    assert result.code == 0, result.err
    assert result.json["votes"]["down"] == 2


def test_stats_says_when_storage_dir_holds_no_question_log(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no config file: the default ./data, never used by the bot
    result = run_cli("stats")
    assert result.code == 0 and "Questions served: 0" in result.out
    assert result.err == f"note: no question log at {db.path_in(tmp_path / 'data')}: " + (
        "the bot has not run with this storage.dir\n"
    )
    assert run_cli("stats", "--config", str(config_with_history(tmp_path))).err == ""


def test_stats_refuses_a_storage_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("not a folder", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  dir: state\n", encoding="utf-8")
    result = run_cli("stats", "--config", str(config))
    assert result.code == 2 and result.out == ""
    assert result.err == f"{config}: storage.dir: {tmp_path / 'state'} is a file, not a folder\n"


def wal_database(tmp_path: Path) -> Path:
    """A config whose storage.dir holds a WAL-mode question log, closed: no -wal, no -shm."""
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  dir: state\n", encoding="utf-8")
    path = db.path_in(tmp_path / "state")
    path.parent.mkdir()
    with closing(sqlite3.connect(path)) as con, con:
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript(stats.SCHEMA)
        con.execute("INSERT INTO questions VALUES (1, 'private', 'minsk?', 0, 3.0)")
    return config


def test_stats_on_a_closed_wal_database_leaves_its_folder_as_it_was(tmp_path: Path) -> None:
    config = wal_database(tmp_path)
    path = db.path_in(tmp_path / "state")
    before, files = path.read_bytes(), sorted(path.parent.iterdir())
    assert files == [path]
    result = run_cli("stats", "--json", "--config", str(config))
    assert result.code == 0 and result.err == ""
    assert result.json["questions"] == 1 and result.json["unanswered_rate"] == 1.0
    assert sorted(path.parent.iterdir()) == files and path.read_bytes() == before


def test_stats_while_the_bot_writes_reads_its_latest_questions(tmp_path: Path) -> None:
    config = wal_database(tmp_path)
    path = db.path_in(tmp_path / "state")
    log = QuestionLog(path)  # the bot: keeps the database open, its rows in the -wal file
    log.record("What does Russia demand?", True, 4.0, "private")
    files = sorted(path.parent.iterdir())
    assert Path(f"{path}-wal").stat().st_size > 0  # not yet in the database file itself
    first = run_cli("stats", "--json", "--config", str(config)).json
    log.record("Who mediates?", True, 2.0, "private")
    second = run_cli("stats", "--json", "--config", str(config)).json
    assert (first["questions"], second["questions"]) == (2, 3)
    assert sorted(path.parent.iterdir()) == files

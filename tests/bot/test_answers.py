"""AnswerStore: answers behind buttons and follow-ups, in SQLite; bounded, expiring, shared."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from bot import answers
from bot.answers import AnswerStore, Shown

ROOT = Path(__file__).resolve().parents[2]


def shown(n: int, chat_id: int = 1, **fields) -> Shown:
    values = dict(question=f"q{n}", passages=("a" * 16, "b" * 16), next_offset=3, sent_at=1e9)
    values.update(fields)
    return Shown(answers.new_token(), chat_id, 100 + n, **values)


@pytest.fixture
def store(tmp_path: Path) -> AnswerStore:
    return AnswerStore(tmp_path / "questions.sqlite3", keep=3, days=10**6)


def test_an_answer_is_found_by_its_token_and_by_its_message(store: AnswerStore) -> None:
    kept = shown(1)
    store.record(kept)
    assert store.get(kept.token) == kept
    assert store.replied(1, 101) == kept
    assert store.replied(2, 101) is None and store.get(answers.new_token()) is None


def test_the_table_keeps_only_the_latest_answers(store: AnswerStore) -> None:
    rows = [shown(n) for n in range(5)]
    for row in rows:
        store.record(row)
    assert [store.get(r.token) is not None for r in rows] == [False, False, True, True, True]


def test_an_answer_expires(tmp_path: Path) -> None:
    store = AnswerStore(tmp_path / "a.sqlite3", days=1)
    old, fresh = shown(1, sent_at=1.0), Shown.of(answers.new_token(), 1, 7, _answer())
    store.record(old)
    store.record(fresh)
    assert store.get(old.token) is None and store.replied(1, 101) is None
    assert store.get(fresh.token) == fresh


def _answer():
    from knowledge import Answer

    return Answer("minsk?", True)


async def test_a_press_during_the_write_waits_for_it(store: AnswerStore, monkeypatch) -> None:
    row, gate, read = shown(1), threading.Event(), threading.Event()
    write, get = store.record, store.get
    monkeypatch.setattr(store, "record", lambda r: (gate.wait(10), write(r)))
    monkeypatch.setattr(store, "get", lambda token: (read.set(), get(token))[1])
    writing = asyncio.ensure_future(store.arecord(row))
    await asyncio.sleep(0)  # arecord has started: the row is being written
    reading = asyncio.ensure_future(store.aget(row.token))
    # the read must not start while the write is held; a broken store would read at once
    assert not await asyncio.to_thread(read.wait, 0.2)
    gate.set()
    assert await reading == row
    await writing


async def test_a_broken_database_reads_as_expired_and_is_logged(store: AnswerStore, caplog) -> None:
    store.path.unlink()
    store.path.mkdir()  # no longer a database file
    assert await store.aget(answers.new_token()) is None
    await store.arecord(shown(1))  # logged, not raised
    assert "could not" in caplog.text


def test_another_process_sees_the_answers(store: AnswerStore) -> None:
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from bot.answers import AnswerStore, Shown
        store = AnswerStore(Path({str(store.path)!r}))
        store.record(Shown("{"c" * 16}", 5, 9, "who mediates?", ("{"d" * 16}",), None, 2e9))
        print(store.get("{"e" * 16}") is None)
        """
    )
    mine = shown(1, sent_at=2e9)
    store.record(mine)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"
    assert store.get("c" * 16) == Shown("c" * 16, 5, 9, "who mediates?", ("d" * 16,), None, 2e9)
    assert store.replied(1, 101) == mine

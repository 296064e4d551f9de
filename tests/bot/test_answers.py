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
    values = dict(question=f"q{n}", passages=("a" * 16, "b" * 16), passage_ids=("x#1", "y#2"))
    values.update(next_offset=3, sent_at=1e9)
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


async def test_a_press_or_reply_while_sending_waits_for_the_row(store: AnswerStore) -> None:
    row, sent = shown(1), asyncio.Event()
    read = threading.Event()
    get = store.get
    store.get = lambda token: (read.set(), get(token))[1]  # type: ignore[method-assign]

    async def send() -> None:
        async with store.sending(row.chat_id, row.token):
            await sent.wait()  # Telegram has not answered sendMessage yet
            await store.arecord(row)

    sending = asyncio.ensure_future(send())
    await asyncio.sleep(0)  # sending has begun
    press = asyncio.ensure_future(store.aget(row.token))
    reply = asyncio.ensure_future(store.areplied(row.chat_id, row.message_id))
    # no read starts while the answer is in flight; a store without the wait would read at once
    assert not await asyncio.to_thread(read.wait, 0.2)
    sent.set()
    assert await press == row and await reply == row
    await sending
    assert not store._pending


async def test_a_broken_database_reads_as_expired_and_is_logged(store: AnswerStore, caplog) -> None:
    store.path.unlink()
    store.path.mkdir()  # no longer a database file
    assert await store.aget(answers.new_token()) is None
    await store.arecord(shown(1))  # logged, not raised
    assert "cannot read the answers" in caplog.text


def test_another_process_sees_the_answers(store: AnswerStore) -> None:
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from bot.answers import AnswerStore, Shown
        store = AnswerStore(Path({str(store.path)!r}))
        row = Shown("{"c" * 16}", 5, 9, "who mediates?", ("{"d" * 16}",), ("z#0",), None, 2e9)
        store.record(row)
        print(store.get("{"e" * 16}") is None)
        """
    )
    mine = shown(1, sent_at=2e9)
    store.record(mine)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"
    kept = Shown("c" * 16, 5, 9, "who mediates?", ("d" * 16,), ("z#0",), None, 2e9)
    assert store.get("c" * 16) == kept
    assert store.replied(1, 101) == mine

"""``bench --e2e``: bot-side latency of the real Application against the fake Bot API.

The bot long-polls a fake Bot API server on 127.0.0.1 (``tests/helpers/fake_bot_api.py``,
so this needs a source checkout). Users send questions in waves: each of ``users`` private
chats asks one question at once, and a question's latency runs from the moment its update
is queued on the server (the bot's pending getUpdates returns it at once) to the moment the
server receives the bot's ``sendMessage`` to that chat. With ``reload_passages``, an admin's
``/reload`` of that many extra passages (copies of the shipped articles) runs meanwhile, and
only the answers given while it builds are counted.
"""

from __future__ import annotations

import asyncio
import math
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

import knowledge
from bench.coldstart import copy_corpus
from bot.app import build_application
from bot.config import Config, KnowledgeConfig, StorageConfig, TelegramConfig
from bot.state import BotState

QUESTIONS = (
    "What does Russia demand?",
    "Who mediates the talks?",
    "What came out of the Istanbul talks?",
    "What were the Minsk agreements?",
    "What does Ukraine want in a ceasefire?",
    "What role does Turkey play?",
    "security guarantees",
    "Is there a ceasefire agreement?",
    "What happened in Minsk in 2015?",
    "What did the OSCE do?",
)
ADMIN = 777_000
FIRST_USER = 500_000


@dataclass(frozen=True, slots=True)
class E2ERow:
    """Latency of one scenario: questions answered, p50/p95/p99 and the worst, in ms."""

    scenario: str
    questions: int
    users: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The row as ``bench --e2e --json`` prints it."""
        return asdict(self)


class Stopwatch:
    """Times, per chat, of the bot's sendMessage requests as the fake server receives them."""

    def __init__(self, api: Any) -> None:
        self.replies: dict[int, list[float]] = {}
        self._lock = threading.Lock()
        handle = api.handle

        def timed(method: str, params: dict[str, Any], files: dict) -> Any:
            if method.lower() == "sendmessage":
                with self._lock:
                    self.replies.setdefault(int(params["chat_id"]), []).append(time.perf_counter())
            return handle(method, params, files)

        api.handle = timed

    def count(self, chat_id: int) -> int:
        """How many replies ``chat_id`` has had."""
        with self._lock:
            return len(self.replies.get(chat_id, []))

    def last(self, chat_id: int) -> float:
        """When ``chat_id`` had its latest reply."""
        with self._lock:
            return self.replies[chat_id][-1]


def fake_api_modules() -> tuple[Any, Any]:
    """The fake Bot API and update factories of the source checkout's tests."""
    try:
        from tests.helpers import fake_bot_api, updates
    except ImportError as exc:  # an installed package has no tests/
        raise RuntimeError("bench --e2e needs a source checkout (tests/helpers)") from exc
    return fake_bot_api, updates


async def wait_replies(watch: Stopwatch, expected: dict[int, int], timeout: float = 60) -> None:
    """Until each chat has had its ``expected`` number of replies."""
    deadline = time.perf_counter() + timeout
    while any(watch.count(c) < n for c, n in expected.items()):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the bot did not answer within {timeout:g} s")
        await asyncio.sleep(0.001)


async def ask(
    api: Any, updates: Any, watch: Stopwatch, users: int, total: int, rate: float
) -> list[float]:
    """``total`` questions from ``users`` chats in turn, ``rate`` per second (0: all at once).

    Returns each question's latency in ms: its push to its chat's matching reply.
    """
    chats = [FIRST_USER + u for u in range(users)]
    before = {c: watch.count(c) for c in chats}
    pushed: dict[int, list[float]] = {c: [] for c in chats}
    start = time.perf_counter()
    for i in range(total):
        if rate:
            await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        chat_id = chats[i % users]
        pushed[chat_id].append(time.perf_counter())
        api.push(updates.message(QUESTIONS[i % len(QUESTIONS)], chat_id=chat_id, user_id=chat_id))
    await wait_replies(watch, {c: before[c] + len(pushed[c]) for c in chats})
    return [
        (watch.replies[c][before[c] + k] - t) * 1000 for c in chats for k, t in enumerate(pushed[c])
    ]


def latency_row(scenario: str, users: int, ms: list[float], note: str = "") -> E2ERow:
    """Percentiles of ``ms``."""
    if not ms:
        return E2ERow(scenario, 0, users, None, None, None, None, note)
    p50, p95, p99 = np.percentile(ms, [50, 95, 99]).tolist()
    return E2ERow(scenario, len(ms), users, p50, p95, p99, max(ms), note)


def bench_config(api: Any, token: str, workdir: Path) -> Config:
    """A config for the fake server: a writable copy of the shipped corpus, one admin."""
    corpus = workdir / "knowledge"
    shutil.copytree(knowledge.default_dirs()[0], corpus)
    telegram = TelegramConfig(
        token=token, base_url=api.base_url, base_file_url=api.base_file_url, admin_ids=(ADMIN,)
    )
    return Config(telegram, KnowledgeConfig((corpus,)), StorageConfig(workdir / "data"))


async def steady(
    api: Any, updates: Any, watch: Stopwatch, users: int, total: int, rate: float
) -> E2ERow:
    """Questions at ``rate`` per second (0: in waves of ``users`` at once), after a warm-up."""
    await ask(api, updates, watch, users, users, 0)
    if rate:
        ms = await ask(api, updates, watch, users, total, rate)
        return latency_row(f"{rate:g} questions/s", users, ms)
    ms = []
    for _ in range(math.ceil(total / users)):  # closed loop: a wave when the last is answered
        ms += await ask(api, updates, watch, users, users, 0)
    return latency_row(f"waves of {users}", users, ms, "closed loop: saturates the bot")


async def during_reload(
    api: Any, updates: Any, watch: Stopwatch, users: int, rate: float, corpus: Path, passages: int
) -> E2ERow:
    """Questions at ``rate`` per second while an admin's /reload adds ``passages`` passages."""
    per_copy = len(knowledge.load([corpus]).passages)
    copies = await asyncio.to_thread(copy_corpus, corpus, corpus, passages, per_copy)
    before = watch.count(ADMIN)
    started = time.perf_counter()
    api.push(updates.message("/reload", chat_id=ADMIN, user_id=ADMIN))
    ms: list[float] = []
    while watch.count(ADMIN) == before:
        ms += await ask(api, updates, watch, users, users, rate)
    took = time.perf_counter() - started
    note = f"/reload of {copies * per_copy} more passages took {took:.1f}s"
    return latency_row(f"{rate:g} q/s during /reload", users, ms, note)


@contextmanager
def serving(users: int) -> Iterator[tuple[Any, Any, Stopwatch, Path]]:
    """A fake Bot API server, its stopwatch and a scratch folder."""
    fake_bot_api, updates = fake_api_modules()
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp, fake_bot_api.FakeBotApi() as api:
        yield api, updates, Stopwatch(api), Path(tmp)


async def run_e2e(
    questions: int = 200, users: int = 20, rate: float = 10.0, reload_passages: int = 0
) -> list[E2ERow]:
    """Measure: paced questions, closed-loop waves, and (optionally) paced during a reload."""
    fake_bot_api, _ = fake_api_modules()
    with serving(users) as (api, updates, watch, tmp):
        config = bench_config(api, fake_bot_api.TOKEN, tmp)
        state = await asyncio.to_thread(BotState.create, config)
        app = build_application(config, state)
        async with app:
            await app.updater.start_polling(poll_interval=0.0, timeout=10)
            await app.start()
            try:
                rows = [await steady(api, updates, watch, users, questions, rate)]
                rows.append(await steady(api, updates, watch, users, questions, 0))
                if reload_passages:
                    corpus = config.knowledge.dirs[0]
                    rows.append(
                        await during_reload(
                            api, updates, watch, users, rate, corpus, reload_passages
                        )
                    )
            finally:
                await app.updater.stop()
                await app.stop()
    return rows


def format_e2e(rows: list[E2ERow]) -> str:
    """The rows as a small text table."""
    lines = [
        f"{'scenario':<24} {'questions':>9} {'users':>5} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    ]
    for r in rows:
        cells = [
            f"{v:8.1f}" if v is not None else f"{'-':>8}"
            for v in (r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms)
        ]
        lines.append(f"{r.scenario:<24} {r.questions:>9} {r.users:>5} {' '.join(cells)}  {r.note}")
    return "\n".join(line.rstrip() for line in lines)

"""``bench --e2e``: bot-side latency of the real Application against the fake Bot API.

The bot long-polls a small fake Bot API server on 127.0.0.1 (``bench.fake_api``). Users
send questions in waves: each of ``users`` private chats asks one question at once, and a
question's latency runs from the moment its update is queued on the server (the bot's
pending getUpdates returns it at once) to the moment the server receives the bot's
``sendMessage`` to that chat. With ``reload_passages``, an admin's ``/reload`` of that many
extra passages (copies of the shipped articles) runs meanwhile, and only the answers given
while it builds are counted.
"""

from __future__ import annotations

import asyncio
import math
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

import knowledge
from bench.coldstart import copy_corpus
from bench.fake_api import TOKEN, FakeBotApi, message
from bot.app import build_application
from bot.config import Config, FloodConfig, KnowledgeConfig, StorageConfig, TelegramConfig
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
UNLIMITED = FloodConfig(per_user_per_minute=10**9, per_group_per_minute=10**9)
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


async def wait_replies(api: FakeBotApi, expected: dict[int, int], timeout: float = 60) -> None:
    """Until each chat has had its ``expected`` number of replies."""
    deadline = time.perf_counter() + timeout
    while any(api.count(c) < n for c, n in expected.items()):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the bot did not answer within {timeout:g} s")
        await asyncio.sleep(0.001)


async def ask(api: FakeBotApi, users: int, total: int, rate: float) -> list[float]:
    """``total`` questions from ``users`` chats in turn, ``rate`` per second (0: all at once).

    Returns each question's latency in ms: its push to its chat's matching reply.
    """
    chats = [FIRST_USER + u for u in range(users)]
    before = {c: api.count(c) for c in chats}
    pushed: dict[int, list[float]] = {c: [] for c in chats}
    start = time.perf_counter()
    for i in range(total):
        if rate:
            await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        chat_id = chats[i % users]
        pushed[chat_id].append(time.perf_counter())
        api.push(message(QUESTIONS[i % len(QUESTIONS)], chat_id=chat_id, user_id=chat_id))
    await wait_replies(api, {c: before[c] + len(pushed[c]) for c in chats})
    return [
        (api.replies[c][before[c] + k] - t) * 1000 for c in chats for k, t in enumerate(pushed[c])
    ]


def latency_row(scenario: str, users: int, ms: list[float], note: str = "") -> E2ERow:
    """Percentiles of ``ms``."""
    if not ms:
        return E2ERow(scenario, 0, users, None, None, None, None, note)
    p50, p95, p99 = np.percentile(ms, [50, 95, 99]).tolist()
    return E2ERow(scenario, len(ms), users, p50, p95, p99, max(ms), note)


def bench_config(api: FakeBotApi, token: str, workdir: Path) -> Config:
    """A config for the fake server: a writable copy of the shipped corpus, one admin, no
    flood limits (a closed loop of a few users would reach them and wait for ever)."""
    corpus = workdir / "knowledge"
    shutil.copytree(knowledge.default_dirs()[0], corpus)
    telegram = TelegramConfig(
        token=token,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        admin_ids=(ADMIN,),
        flood=UNLIMITED,  # the bench's users ask more than 10 a minute; they must all be answered
    )
    return Config(telegram, KnowledgeConfig((corpus,)), StorageConfig(workdir / "data"))


async def steady(api: FakeBotApi, users: int, total: int, rate: float) -> E2ERow:
    """Questions at ``rate`` per second (0: in waves of ``users`` at once), after a warm-up."""
    await ask(api, users, users, 0)
    if rate:
        ms = await ask(api, users, total, rate)
        return latency_row(f"{rate:g} questions/s", users, ms)
    ms = []
    for _ in range(math.ceil(total / users)):  # closed loop: a wave when the last is answered
        ms += await ask(api, users, users, 0)
    return latency_row(f"waves of {users}", users, ms, "closed loop: saturates the bot")


async def during_reload(
    api: FakeBotApi, users: int, rate: float, corpus: Path, passages: int
) -> E2ERow:
    """Questions at ``rate`` per second while an admin's /reload adds ``passages`` passages."""
    per_copy = len(knowledge.load([corpus]).passages)
    copies = await asyncio.to_thread(copy_corpus, corpus, corpus, passages, per_copy)
    before = api.count(ADMIN)
    started = time.perf_counter()
    api.push(message("/reload", chat_id=ADMIN, user_id=ADMIN))
    ms: list[float] = []
    while api.count(ADMIN) == before:
        ms += await ask(api, users, users, rate)
    took = time.perf_counter() - started
    note = f"/reload of {copies * per_copy} more passages took {took:.1f}s"
    return latency_row(f"{rate:g} q/s during /reload", users, ms, note)


async def run_e2e(
    questions: int = 200, users: int = 20, rate: float = 10.0, reload_passages: int = 0
) -> list[E2ERow]:
    """Measure: paced questions, closed-loop waves, and (optionally) paced during a reload."""
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as scratch, FakeBotApi() as api:
        config = bench_config(api, TOKEN, Path(scratch))
        state = await asyncio.to_thread(BotState.create, config)
        app = build_application(config, state)
        async with app:
            await app.updater.start_polling(poll_interval=0.0, timeout=10)
            await app.start()
            try:
                rows = [await steady(api, users, questions, rate)]
                rows.append(await steady(api, users, questions, 0))
                if reload_passages:
                    corpus = config.knowledge.dirs[0]
                    rows.append(await during_reload(api, users, rate, corpus, reload_passages))
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

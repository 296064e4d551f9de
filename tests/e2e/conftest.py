"""The real Application, polling the fake Bot API on 127.0.0.1; logs captured and checked."""

from __future__ import annotations

import asyncio
import io
import logging
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

import knowledge
from bot.app import build_application
from bot.config import Config, FloodConfig, KnowledgeConfig, StorageConfig, TelegramConfig
from bot.loaded import Loaded
from bot.logs import setup_logging
from bot.state import BotState
from bot.stats import QuestionLog
from tests.helpers import updates
from tests.helpers.fake_bot_api import TOKEN, Call, FakeBotApi
from tests.helpers.telegram_html import parse_html

ADMIN = 4242


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Everything logged during the test, at DEBUG, through the bot's redacting handler."""
    stream = io.StringIO()
    handler = setup_logging(secrets=(TOKEN,), level=logging.DEBUG, stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)
    assert TOKEN not in stream.getvalue()
    assert TOKEN.split(":")[1] not in stream.getvalue()


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus, as the one configured knowledge folder."""
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge.default_dirs()[0], folder)
    return folder


@pytest.fixture
def config(tmp_path: Path, api: FakeBotApi, corpus: Path) -> Config:
    telegram = TelegramConfig(
        token=TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        admin_ids=(ADMIN,),
        # tests of other features send many messages from one user within a minute;
        # test_flood_e2e.py sets the small limits it tests
        flood=FloodConfig(per_user_per_minute=1000, per_group_per_minute=1000),
    )
    return Config(telegram, KnowledgeConfig((corpus,)), StorageConfig(tmp_path / "data"))


def fetching(config: Config, **changes: Any) -> Config:
    """``config`` allowed to fetch from the test's own web server on 127.0.0.1."""
    know = replace(config.knowledge, allow_private_hosts=True, fetch_timeout=2.0, **changes)
    return replace(config, knowledge=know)


def plain(call: Call) -> str:
    """The text a user sees of a message the bot sent."""
    return parse_html(call.params["text"]).plain


@dataclass
class Running:
    """A started bot and the fake server it talks to."""

    app: Application
    api: FakeBotApi
    state: BotState

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait (without blocking the bot's event loop) until ``predicate()`` is truthy."""
        return await asyncio.to_thread(self.api.wait_for, predicate, timeout)

    async def send(self, update: dict, chat_id: int, timeout: float = 10.0) -> Call:
        """Push ``update`` and return the next message the bot sends to ``chat_id``."""
        before = len(self.api.sent(chat_id))
        self.api.push(update)
        replies = await self.wait_for(lambda: self.api.sent(chat_id)[before:], timeout)
        return replies[0]

    async def handle(self, update: dict) -> None:
        """Deliver ``update`` as Telegram would (maybe not at all) and handle it to completion:
        whatever it makes the bot send has been sent when this returns."""
        delivered = self.api.deliver(update)
        if not delivered.get("hidden"):
            await self.app.process_update(Update.de_json(delivered, self.app.bot))

    async def say(self, text: str, user: int = 1001) -> str:
        """Send ``text`` in ``user``'s private chat; the plain text of the bot's reply."""
        reply = await self.send(updates.message(text, chat_id=user, user_id=user), chat_id=user)
        return plain(reply)


@pytest.fixture(scope="session")
def shipped() -> Loaded:
    """The shipped corpus, loaded once for the whole session (it is immutable)."""
    return Loaded.load(knowledge.default_dirs())


@asynccontextmanager
async def started(config: Config, state: BotState, api: FakeBotApi) -> AsyncIterator[Running]:
    """The real Application for ``state``, started and polling the fake server."""
    app = build_application(config, state)
    async with app:
        await app.post_init(app)  # run_polling would call it; here the test drives the app
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield Running(app, api, state)
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.fixture
async def bot(
    config: Config, api: FakeBotApi, logs: io.StringIO, shipped: Loaded
) -> AsyncIterator[Running]:
    """The real Application, started and polling the fake server."""
    config.storage.sources_dir.mkdir(parents=True)
    log = QuestionLog(config.storage.dir / "questions.sqlite3")
    state = BotState(config, shipped, log)  # the copy in `corpus` has the same content
    async with started(config, state, api) as running:
        yield running

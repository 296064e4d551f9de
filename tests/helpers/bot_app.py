"""The real Application fed updates directly with ``process_update`` (as in PTB's own tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import Config, KnowledgeConfig, StorageConfig, TelegramConfig
from bot.state import BotState
from tests.helpers.fake_bot_api import TOKEN, FakeBotApi


def make_config(api: FakeBotApi, storage: Path, dirs: tuple[Path, ...] = (), admins=()) -> Config:
    """A config pointing at ``api``; ``dirs`` empty = the shipped corpus."""
    telegram = TelegramConfig(
        token=TOKEN, base_url=api.base_url, base_file_url=api.base_file_url, admin_ids=admins
    )
    return Config(telegram, KnowledgeConfig(dirs), StorageConfig(storage))


@asynccontextmanager
async def processing_app(config: Config) -> AsyncIterator[Application]:
    """An initialised (not polling) Application for ``config``."""
    app = build_application(config, BotState.create(config))
    async with app:
        yield app


async def feed(app: Application, api: FakeBotApi, update: dict[str, Any]) -> None:
    """Process one update JSON to completion, with its queries opened on the fake server."""
    update = {"update_id": 1, **update}
    api.track(update)
    await app.process_update(Update.de_json(update, app.bot))

"""Fixtures of the handler tests: a fake Bot API and an Application that processes updates."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram.ext import Application

from tests.helpers.bot_app import make_config, processing_app
from tests.helpers.fake_bot_api import FakeBotApi


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A fake Bot API server on 127.0.0.1 for one test."""
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def app(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Application]:
    """The real Application, wired to ``api``, ready for ``process_update``."""
    async with processing_app(make_config(api, tmp_path / "data")) as application:
        yield application

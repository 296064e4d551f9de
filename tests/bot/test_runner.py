"""bot.runner in process: a webhook bot notices a token revoked while it runs."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from bot import runner
from bot.app import build_application
from bot.config import WebhookConfig
from bot.state import BotState
from tests.helpers.bot_app import make_config
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.ports import free_port


async def test_a_webhook_bot_ends_when_its_token_is_revoked(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "TOKEN_CHECK_S", 0.05)
    config = make_config(api, tmp_path / "data")
    hook = WebhookConfig("https://bot.example.org/hook", "127.0.0.1", free_port(), "s3cret")
    config = replace(config, telegram=replace(config.telegram, webhook=hook))
    stop = runner.Stop()
    app = build_application(config, BotState.create(config), on_rejected=stop.fail)
    serving = asyncio.create_task(runner.serve(app, config, stop))
    await asyncio.to_thread(api.wait_for, lambda: api.requests("setWebhook", ok=True))
    api.revoke_token()
    with pytest.raises(InvalidToken):
        await asyncio.wait_for(serving, timeout=30)
    assert "rejected the bot token" in runner.fatal_reason(stop.error, config)

"""SIGTERM while the knowledge loads: `run` stops at once with exit 0, not after the build."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import threading

import pytest

from bot import app as bot_app
from bot.config import Config
from bot.runner import Stop
from bot.state import BotState
from knowledge import ingest


async def test_sigterm_while_loading_stops_at_once_with_exit_0(
    config: Config, logs: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, gate = threading.Event(), threading.Event()

    def endless_build(config: Config) -> None:  # a first build of a huge corpus
        entered.set()
        gate.wait(60)

    monkeypatch.setattr(BotState, "create", staticmethod(endless_build))
    monkeypatch.setattr(ingest, "_abandoned", threading.Event())  # this test's exit only
    # a handler of the test's own, so that a bot without one does not kill the test run
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        running = asyncio.create_task(bot_app.run_async(config, Stop()))
        assert await asyncio.to_thread(entered.wait, 30)
        os.kill(os.getpid(), signal.SIGTERM)  # systemctl stop, docker stop
        code = await asyncio.wait_for(running, 30)
        assert not gate.is_set()  # the build was not waited for
    finally:
        gate.set()
        signal.signal(signal.SIGTERM, previous)
    assert code == 0
    assert "stopped while loading the knowledge" in logs.getvalue()

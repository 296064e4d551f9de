"""`python -m bot run` meets a fatal Telegram error: one redacted line, a non-zero exit."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.helpers.bot_process import finish, start, stop
from tests.helpers.fake_bot_api import TOKEN, FakeBotApi


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


def assert_one_redacted_line(log: str, expected: str) -> None:
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "Traceback" not in log
    fatal = [line for line in log.splitlines() if "ERROR" in line]
    assert len(fatal) == 1 and expected in fatal[0], log


def test_a_token_refused_at_start_ends_the_process(api: FakeBotApi, tmp_path: Path) -> None:
    api.revoke_token()  # every call, getMe first, answers 401 Unauthorized
    process = start(api, tmp_path)
    code, log = finish(process)
    assert code == 1
    assert_one_redacted_line(log, "Telegram rejected the bot token")


def test_a_mistyped_base_url_ends_the_process(api: FakeBotApi, tmp_path: Path) -> None:
    process = start(f"{api.url}/api", tmp_path)  # .../api/bot<token>/getMe: 404 Not Found
    code, log = finish(process)
    assert code == 1
    assert_one_redacted_line(log, "Telegram rejected the bot token")


def test_a_token_revoked_while_running_ends_the_process(api: FakeBotApi, tmp_path: Path) -> None:
    process = start(api, tmp_path)
    try:
        api.wait_for(lambda: api.requests("getUpdates", ok=True), timeout=30)
        api.revoke_token()
        code, log = finish(process)
    finally:
        if process.poll() is None:
            stop(process)
    assert code == 1
    assert "Telegram rejected the bot token" in log.splitlines()[-1]
    assert_one_redacted_line(log, "Telegram rejected the bot token")


def test_another_poller_ends_the_process(api: FakeBotApi, tmp_path: Path) -> None:
    api.fail_next("getUpdates", status=409)  # Conflict: terminated by other getUpdates request
    process = start(api, tmp_path)
    code, log = finish(process)
    assert code == 1
    assert_one_redacted_line(log, "another bot process")


def test_no_network_at_start_ends_the_process(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a bound port nobody listens on: connections are refused
        sock.bind(("127.0.0.1", 0))
        process = start(f"http://127.0.0.1:{sock.getsockname()[1]}", tmp_path)
        code, log = finish(process)
    assert code == 1
    assert_one_redacted_line(log, "cannot reach Telegram")

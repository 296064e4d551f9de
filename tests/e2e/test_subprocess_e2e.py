"""`python -m bot run` as a real process: polling, webhook with secret token, clean shutdown."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import updates
from tests.helpers.bot_process import start, stop, write_config
from tests.helpers.cli import run_module
from tests.helpers.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers.ports import free_port
from tests.helpers.telegram_html import parse_html


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


def ask_once(api: FakeBotApi, process: subprocess.Popen, question: str):
    """Ask the polling bot ``question`` once it polls; its reply, exit code and log after Ctrl-C."""
    try:
        api.wait_for(lambda: api.requests("getUpdates"), timeout=30)
        api.push(updates.message(question))
        reply = api.wait_for(lambda: api.sent(1001), timeout=15)[0]
    finally:
        code, log = stop(process)
    return reply, code, log


def test_polling_process_answers_and_shuts_down_cleanly(api: FakeBotApi, tmp_path: Path):
    reply, code, log = ask_once(api, start(api, tmp_path), "What happened at the Istanbul talks?")
    shown = parse_html(reply.params["text"]).plain
    assert shown.startswith("1.") and "Istanbul" in shown
    assert code == 0, log
    assert "serving 4 sources" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert (tmp_path / "state" / "questions.sqlite3").exists()  # storage.dir next to the config


def test_webhook_process_checks_the_secret_token(api: FakeBotApi, tmp_path: Path):
    port = free_port()
    hook = (
        "  webhook:\n    url: https://bot.example.org/tg/hook\n    listen: 127.0.0.1\n"
        f"    port: {port}\n    secret_token: s3cret-Token\n"
    )
    process = start(api, tmp_path, hook)
    try:
        set_hook = api.wait_for(lambda: api.requests("setWebhook", ok=True), timeout=30)[0]
        assert set_hook.params["url"] == "https://bot.example.org/tg/hook"
        assert set_hook.params["secret_token"] == "s3cret-Token"
        update = {**updates.message("/help"), "update_id": 1}
        assert post(port, update, "wrong") == 403
        assert post(port, update, "s3cret-Token") == 200
        reply = api.wait_for(lambda: api.sent(1001), timeout=15)[0]
    finally:
        code, log = stop(process, signal.SIGTERM)
    assert "How to ask" in parse_html(reply.params["text"]).plain
    assert code == 0, log
    assert "s3cret-Token" not in log and TOKEN not in log


def post(port: int, update: dict, secret: str) -> int:
    """POST an update to the bot's webhook as Telegram would; returns the HTTP status."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/tg/hook",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    for _ in range(50):  # the webhook server may still be starting
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                return reply.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except urllib.error.URLError:
            time.sleep(0.1)
    raise AssertionError("webhook server never came up")


def test_bad_knowledge_file_stops_the_start_with_file_and_line(api: FakeBotApi, tmp_path: Path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "broken.md").write_text("---\ntitle: [x\n---\ntext\n", encoding="utf-8")
    process = start(api, tmp_path, extra="knowledge:\n  dirs: [corpus]\n")
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert f"{folder / 'broken.md'}:2:" in err
    assert "python -m bot check" in err
    assert not api.requests("getUpdates")


def test_a_bad_file_after_a_good_start_leaves_the_last_index_serving_across_a_restart(
    api: FakeBotApi, tmp_path: Path
):
    folder = tmp_path / "corpus"
    folder.mkdir()
    good = "---\ntitle: Lighthouse protocol\n---\nNegotiators signed a lighthouse protocol.\n"
    (folder / "good.md").write_text(good, encoding="utf-8")
    config = write_config(tmp_path, api.url, extra="knowledge:\n  dirs: [corpus]\n")
    assert run_module("check", "--config", str(config)).code == 0  # a good load, saved
    (folder / "broken.md").write_text("---\ntitle: [x\n---\ntext\n", encoding="utf-8")
    process = start(api, tmp_path, extra="knowledge:\n  dirs: [corpus]\n")  # a restart
    reply, code, log = ask_once(api, process, "What did the negotiators sign?")
    assert "lighthouse protocol" in parse_html(reply.params["text"]).plain
    assert code == 0, log
    assert f"{folder / 'broken.md'}:2:" in log and "serving the last index that loaded" in log

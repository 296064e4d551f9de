"""`run`'s own HTTP server end to end: /healthz while loading and after, /metrics after a
question, in polling mode (telegram.health.port) and on the webhook's port."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import socket
import threading

import httpx
import pytest

from bot import app as bot_app
from bot.config import Config, HealthConfig, WebhookConfig
from bot.runner import Stop
from bot.state import BotState
from bot.web import SECRET_HEADER
from tests.helpers import updates
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.ports import free_port
from tests.helpers.telegram_html import parse_html


def with_telegram(config: Config, **changes) -> Config:
    return dataclasses.replace(config, telegram=dataclasses.replace(config.telegram, **changes))


@pytest.fixture
def loading_gate(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event, list]:
    """Hold the knowledge load until the test opens the gate: (entered, gate, [the state])."""
    entered, gate, created = threading.Event(), threading.Event(), []
    create = BotState.create

    def held(config: Config) -> BotState:
        entered.set()
        assert gate.wait(30), "the test never opened the gate"
        created.append(create(config))
        return created[0]

    monkeypatch.setattr(BotState, "create", staticmethod(held))
    return entered, gate, created


def answered(state: BotState) -> float:
    """Answers the bot has counted (it counts once the reply is sent)."""
    return state.metrics.registry.get_sample_value(
        "ceasefire_answers_total", {"outcome": "answered"}
    )


async def test_healthz_503_while_loading_then_200_and_metrics_after_a_question(
    config: Config, api: FakeBotApi, logs: io.StringIO, loading_gate
) -> None:
    entered, gate, created = loading_gate
    port = free_port()
    config = with_telegram(config, health=HealthConfig(port))
    stop = Stop()
    running = asyncio.create_task(bot_app.run_async(config, stop))
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(timeout=10) as http:
        try:
            assert await asyncio.to_thread(entered.wait, 30)  # the server is up by now
            loading = await http.get(f"{base}/healthz")
            gate.set()
            await asyncio.to_thread(api.wait_for, lambda: api.requests("getUpdates"), 30)
            ready = await http.get(f"{base}/healthz")
            api.push(updates.message("What happened at the Istanbul talks?"))
            reply = await asyncio.to_thread(api.wait_for, lambda: api.sent(1001), 15)
            await asyncio.to_thread(api.wait_for, lambda: answered(created[0]) == 1, 15)
            metrics = await http.get(f"{base}/metrics")
        finally:
            gate.set()
            stop.request()
            code = await asyncio.wait_for(running, 30)
    assert loading.status_code == 503 and loading.json()["status"] == "loading"
    assert ready.status_code == 200
    body = ready.json()
    assert (body["status"], body["sources"], body["mode"]) == ("ok", 4, "polling")
    assert body["passages"] > 0 and body["index"]
    assert parse_html(reply[0].params["text"]).plain.startswith("1.")
    assert 'ceasefire_questions_total{via="private"} 1.0' in metrics.text
    assert 'ceasefire_answers_total{outcome="answered"} 1.0' in metrics.text
    assert 'ceasefire_answer_seconds_count{via="private"} 1.0' in metrics.text
    assert code == 0
    line = next(x for x in logs.getvalue().splitlines() if "serving 4 sources" in x)
    assert f"passages (index {body['index']}, snapshot built) by long polling" in line
    assert f"/healthz on 127.0.0.1:{port}" in line


async def test_webhook_port_serves_updates_health_and_metrics(
    config: Config, api: FakeBotApi, loading_gate
) -> None:
    entered, gate, created = loading_gate
    port = free_port()
    hook = WebhookConfig("https://bot.example.org/tg/hook", "127.0.0.1", port, "s3cret")
    config = with_telegram(config, webhook=hook)
    stop = Stop()
    running = asyncio.create_task(bot_app.run_async(config, stop))
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(timeout=10) as http:
        try:
            assert await asyncio.to_thread(entered.wait, 30)  # the server is up by now
            loading = await http.get(f"{base}/healthz")
            gate.set()
            await asyncio.to_thread(api.wait_for, lambda: api.requests("setWebhook", ok=True), 30)
            update = {"update_id": 1, **updates.message("Who mediates the talks?")}
            posted = await http.post(
                f"{base}/tg/hook", json=update, headers={SECRET_HEADER: "s3cret"}
            )
            reply = await asyncio.to_thread(api.wait_for, lambda: api.sent(1001), 15)
            await asyncio.to_thread(api.wait_for, lambda: answered(created[0]) == 1, 15)
            health = await http.get(f"{base}/healthz")
            metrics = await http.get(f"{base}/metrics")
        finally:
            gate.set()
            stop.request()
            code = await asyncio.wait_for(running, 30)
    assert loading.status_code == 503 and loading.json()["mode"] == "webhook"
    assert posted.status_code == 200
    assert parse_html(reply[0].params["text"]).plain.startswith("1.")
    assert health.status_code == 200 and health.json()["mode"] == "webhook"
    assert 'ceasefire_questions_total{via="private"} 1.0' in metrics.text
    assert code == 0


async def test_a_taken_port_ends_the_run_with_one_line(config: Config, logs: io.StringIO):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = await bot_app.run_async(with_telegram(config, health=HealthConfig(port)))
    assert code == 1
    assert f"cannot serve HTTP on 127.0.0.1:{port}: Address already in use" in logs.getvalue()
    assert "Traceback" not in logs.getvalue()

"""bot.web in process: /healthz, /metrics and the webhook path, over real HTTP on port 0."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

import bot
import knowledge
from bot.app import startup_line
from bot.config import Config, HealthConfig, WebhookConfig
from bot.state import BotState
from bot.web import SECRET_HEADER, Site
from tests.helpers import updates
from tests.helpers.bot_app import make_config
from tests.helpers.fake_bot_api import FakeBotApi


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def config(api: FakeBotApi, tmp_path: Path) -> Config:
    return make_config(api, tmp_path / "data")


def webhook(config: Config, url: str = "https://bot.example.org/tg/hook") -> Config:
    hook = WebhookConfig(url, "127.0.0.1", 8443, "s3cret")
    return dataclasses.replace(config, telegram=dataclasses.replace(config.telegram, webhook=hook))


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def serving(site: Site) -> str:
    await site.start()
    return f"http://127.0.0.1:{site.port}"


async def test_healthz_is_503_until_the_knowledge_is_attached(config, app: Application, http):
    clock = Clock()
    site = Site(config, port=0, clock=clock)
    base = await serving(site)
    try:
        loading = await http.get(f"{base}/healthz")
        assert loading.status_code == 503
        assert loading.json() == {
            "status": "loading",
            "version": bot.__version__,
            "mode": "polling",
            "uptime_s": 0.0,
        }
        assert (await http.get(f"{base}/metrics")).status_code == 503
        state: BotState = app.bot_data
        site.attach(state, app)
        clock.now += 12.5
        ready = await http.get(f"{base}/healthz")
    finally:
        await site.stop()
    assert ready.status_code == 200
    assert ready.headers["content-type"] == "application/json"
    body = ready.json()
    assert body["status"] == "ok" and body["uptime_s"] == 12.5
    assert body["sources"] == len(state.knowledge.sources) == 4
    assert body["passages"] == len(state.knowledge.passages) > 0
    assert body["index"] == state.loaded.version and len(body["index"]) == 12
    assert body["last_good"] is False


async def test_metrics_show_the_apps_own_counters(config, app: Application, http):
    site = Site(config, port=0)
    base = await serving(site)
    state: BotState = app.bot_data
    try:
        site.attach(state, app)
        state.metrics.record_answer("private", True, 0.02)
        state.metrics.record_answer("group", False, 0.3)
        state.metrics.votes.labels("down").inc()
        reply = await http.get(f"{base}/metrics")
    finally:
        await site.stop()
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    text = reply.text
    assert 'ceasefire_questions_total{via="private"} 1.0' in text
    assert 'ceasefire_answers_total{outcome="answered"} 1.0' in text
    assert 'ceasefire_answers_total{outcome="no_answer"} 1.0' in text
    assert 'ceasefire_answer_seconds_bucket{le="0.025",via="private"} 1.0' in text
    assert 'ceasefire_answer_seconds_count{via="group"} 1.0' in text
    assert 'ceasefire_votes_total{vote="down"} 1.0' in text
    assert 'ceasefire_reloads_total{result="swapped"} 0.0' in text
    assert "ceasefire_feed_errors_total 0.0" in text and "ceasefire_fetch_errors_total 0.0" in text
    assert f"ceasefire_sources {len(state.knowledge.sources)}.0" in text
    assert "python_gc" not in text  # its own registry, not the process-global one


async def test_two_apps_never_share_a_count(api: FakeBotApi, tmp_path: Path) -> None:
    first = BotState.create(make_config(api, tmp_path / "a"))
    second = BotState.create(make_config(api, tmp_path / "b"))
    first.metrics.record_answer("inline", True, 0.01)
    assert b'via="inline"} 1.0' in first.metrics.exposition()
    assert b'ceasefire_questions_total{via="inline"} 0.0' in second.metrics.exposition()


async def test_webhook_path_checks_readiness_secret_and_body(
    config, app: Application, http, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    site = Site(webhook(config), port=0)
    base = await serving(site)
    update = {"update_id": 7, **updates.message("/help")}
    good = {SECRET_HEADER: "s3cret"}
    try:
        early = await http.post(f"{base}/tg/hook", json=update, headers=good)
        site.attach(app.bot_data, app)
        wrong = await http.post(f"{base}/tg/hook", json=update, headers={SECRET_HEADER: "x"})
        missing = await http.post(f"{base}/tg/hook", json=update)
        garbage = await http.post(f"{base}/tg/hook", content=b"[1, 2", headers=good)
        not_object = await http.post(f"{base}/tg/hook", json=[1, 2], headers=good)
        accepted = await http.post(f"{base}/tg/hook/", json=update, headers=good)
        health = await http.get(f"{base}/healthz")
    finally:
        await site.stop()
    assert early.status_code == 503  # Telegram retries
    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert (garbage.status_code, not_object.status_code) == (400, 400)
    assert accepted.status_code == 200
    queued = app.update_queue.get_nowait()
    assert queued.update_id == 7 and queued.message.text == "/help"
    assert health.status_code == 200 and health.json()["mode"] == "webhook"
    refused = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert refused.count("HTTP 403 POST /tg/hook") == 2  # a wrong secret is worth a look
    probes = [r.levelno for r in caplog.records if r.getMessage() == "HTTP 200 GET /healthz"]
    assert probes == [logging.DEBUG]  # probes and scrapes are not worth a line at INFO
    assert not [r for r in caplog.records if r.name == "tornado.access"]


def test_polling_without_a_health_port_serves_nothing(config: Config) -> None:
    assert not Site(config).enabled
    with_port = dataclasses.replace(
        config, telegram=dataclasses.replace(config.telegram, health=HealthConfig(9100))
    )
    assert Site(with_port).enabled and Site(with_port).port == 9100
    assert Site(webhook(config)).enabled and Site(webhook(config)).port == 8443


def test_startup_line_says_version_mode_sizes_and_snapshot_reuse(config: Config) -> None:
    first = startup_line(config, BotState.create(config), Site(config))
    again = startup_line(config, BotState.create(config), Site(config))
    assert first.startswith(f"ceasefire-bot {bot.__version__}: serving 4 sources, ")
    assert "snapshot built" in first and "by long polling" in first
    assert "snapshot reused" in again  # same storage.dir, unchanged files
    hooked = startup_line(webhook(config), BotState.create(config), Site(webhook(config)))
    assert "by webhook https://bot.example.org/tg/hook, /healthz on 127.0.0.1:8443" in hooked


def test_healthz_names_the_key_of_the_last_good_index_serving_after_a_bad_restart(
    api: FakeBotApi, tmp_path: Path, app: Application
) -> None:
    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "minsk.md").write_text("---\ntitle: Minsk\n---\nA ceasefire line.\n", "utf-8")
    config = make_config(api, tmp_path / "own", dirs=(folder,))
    good = BotState.create(config).loaded  # saves its snapshot under storage.dir/cache
    (folder / "zz.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    state = BotState.create(config)  # a restart with a bad file: the last good index serves
    site = Site(config, port=0)
    site.attach(state, app)
    status, body = site.health()
    assert status == 200 and body["status"] == "degraded"
    assert body["index"] == good.version and len(body["index"]) == 12  # the key it serves
    assert body["last_good"] is True  # and that it is the last good one
    assert body["problems"][0].startswith(f"knowledge: {folder / 'zz.md'}:2:")


def test_healthz_says_degraded_while_the_last_good_index_serves_for_bad_files(
    config: Config, app: Application
) -> None:
    site = Site(config, port=0)
    state: BotState = app.bot_data
    bad = knowledge.Problem("/k/zz.md", 2, "front matter: title is required")
    state.loaded = dataclasses.replace(state.loaded, problems=(bad,))
    site.attach(state, app)
    status, body = site.health()
    assert status == 200  # it answers questions: no restart would help
    assert body["status"] == "degraded"
    assert body["problems"] == ["knowledge: /k/zz.md:2: front matter: title is required"]
    assert b"ceasefire_degraded 1.0" in state.metrics.exposition()

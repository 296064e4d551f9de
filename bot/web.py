"""The bot's own HTTP server (tornado, already a PTB dependency): ``GET /healthz``,
``GET /metrics`` and, in webhook mode, the webhook path Telegram posts updates to.

As in PTB's custom-webhook example, updates posted to the webhook are checked and put on the
Application's ``update_queue``; serving them ourselves is what lets one port answer health
and metrics too. The server starts before the knowledge is loaded, so an orchestrator sees
``503`` (loading) and then ``200``; the webhook path also answers 503 until the bot is ready,
which Telegram retries.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

import bot
from bot.config import Config
from bot.metrics import CONTENT_TYPE

if TYPE_CHECKING:
    from bot.state import BotState

logger = logging.getLogger(__name__)

__all__ = ["SECRET_HEADER", "Site"]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000  # Telegram's updates are a few kB; refuse anything absurd


class Site:
    """Health, metrics and the webhook on one port, ready once the bot is attached."""

    def __init__(
        self, config: Config, port: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Serve ``config``'s webhook or health port; ``port`` overrides it (0: any free one)."""
        hook, health = config.telegram.webhook, config.telegram.health
        self.webhook_path = "/" + urlsplit(hook.url).path.lstrip("/") if hook.enabled else ""
        self.listen = hook.listen if hook.enabled else health.listen
        configured = hook.port if hook.enabled else health.port
        self.enabled = bool(self.webhook_path) or configured != 0 or port is not None
        self.port = configured if port is None else port
        self.secret = hook.secret_token or secrets.token_urlsafe(32)  # one per start if unset
        self.mode = "webhook" if hook.enabled else "polling"
        self.clock = clock
        self.started = clock()
        self.state: BotState | None = None
        self.app: Application | None = None
        self._server: tornado.httpserver.HTTPServer | None = None

    def attach(self, state: BotState, app: Application) -> None:
        """The knowledge is loaded and the bot built: health turns 200, updates flow."""
        self.state, self.app = state, app

    def health(self) -> tuple[int, dict[str, Any]]:
        """The ``/healthz`` status and body: 503 until a knowledge index is loaded; then 200,
        "ok", or "degraded" with the problems (storage failing, the last good index serving)."""
        body: dict[str, Any] = {
            "status": "loading",
            "version": bot.__version__,
            "mode": self.mode,
            "uptime_s": round(self.clock() - self.started, 3),
        }
        if self.state is None:
            return 503, body
        loaded = self.state.loaded
        body.update(
            status="ok",
            index=loaded.version,
            last_good=loaded.is_last_good,  # the last index that loaded serves for bad files
            sources=len(loaded.knowledge.sources),
            passages=len(loaded.knowledge.passages),
        )
        problems = self.state.problems()
        if problems:  # still answering (200), but not as configured: say why
            body.update(status="degraded", problems=problems)
        return 200, body

    def routes(self) -> list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]]:
        """The URL map: health and metrics, plus the webhook path in webhook mode."""
        routes = [
            (r"/healthz", HealthHandler, {"site": self}),
            (r"/metrics", MetricsHandler, {"site": self}),
        ]
        if self.webhook_path:
            path = re.escape(self.webhook_path.rstrip("/"))
            routes.append((rf"{path}/?", WebhookHandler, {"site": self}))
        return routes

    async def start(self) -> None:
        """Bind and serve (nothing to do when not ``enabled``); ``port`` 0 picks a free one."""
        if not self.enabled:
            return
        family = socket.AF_INET6 if ":" in self.listen else socket.AF_INET
        sock = socket.create_server((self.listen, self.port), family=family)  # closed on error
        sock.setblocking(False)
        app = tornado.web.Application(self.routes(), log_function=_log_request)
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_UPDATE_BYTES)
        self._server.add_sockets([sock])
        self.port = sock.getsockname()[1]
        hook = f" and the webhook {self.webhook_path}" if self.webhook_path else ""
        logger.debug("serving /healthz, /metrics%s on %s:%d", hook, self.listen, self.port)

    async def stop(self) -> None:
        """Stop accepting and close open connections."""
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """One line per request: refused ones (4xx, e.g. a wrong secret) as warnings, others debug.

    Replaces tornado's access log, which would log every health probe and scrape at INFO.
    """
    status = handler.get_status()
    level = logging.WARNING if 400 <= status < 500 else logging.DEBUG
    logger.log(level, "HTTP %d %s %s", status, handler.request.method, handler.request.path)


class _SiteHandler(tornado.web.RequestHandler):
    def initialize(self, site: Site) -> None:
        self.site = site

    def log_exception(self, *args: Any) -> None:  # pragma: no cover - tornado's own logging
        logger.warning("HTTP %s %s failed", self.request.method, self.request.path)


class HealthHandler(_SiteHandler):
    def get(self) -> None:
        """200 with the index version, sources, passages and uptime; 503 while loading."""
        status, body = self.site.health()
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))


class MetricsHandler(_SiteHandler):
    def get(self) -> None:
        """The Prometheus text exposition; 503 until the bot's metrics exist."""
        if self.site.state is None:
            self.set_status(503)
            self.finish("loading\n")
            return
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(self.site.state.metrics.exposition())


class WebhookHandler(_SiteHandler):
    async def post(self) -> None:
        """An update from Telegram: check the secret, parse, queue for the Application."""
        app = self.site.app
        if app is None:
            raise tornado.web.HTTPError(503)  # Telegram retries
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.site.secret.encode()):
            raise tornado.web.HTTPError(403)
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            update = Update.de_json(data, app.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            logger.warning("webhook: not an update: %s", exc)
            raise tornado.web.HTTPError(400) from exc
        await app.update_queue.put(update)
        self.finish()

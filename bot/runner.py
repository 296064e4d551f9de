"""Serving the built Application until a signal or a fatal Telegram error, with PTB's public
lifecycle (``initialize``, ``updater.start_*``, ``start``, then ``stop`` and ``shutdown``).

``Application.run_polling`` would do the same but lets a rejected token escape as a
traceback that prints it, and keeps running after the polling task died of a revoked token.
Here every fatal error ends the run, and :func:`fatal_reason` is the one line a person reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from typing import TypeVar

from telegram import Update
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, CallbackContext

from bot.config import Config
from bot.web import Site
from knowledge.ingest import abandon

logger = logging.getLogger(__name__)

T = TypeVar("T")

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# where the fatal error echoes while the app stops: the polling task nobody awaits any more,
# PTB's retry loop, and the Updater's last getUpdates (made with the same rejected token)
ECHOING_LOGGERS = ("asyncio", "telegram.ext", "telegram.ext.Updater")
# With a webhook nothing polls, so a revoked token would go unnoticed: ask getMe this often
TOKEN_CHECK_S = 300.0


class Stop:
    """When and why a run ends: a stop signal, or the first fatal Telegram error."""

    def __init__(self) -> None:
        self.error: TelegramError | None = None
        self._event = asyncio.Event()

    def request(self) -> None:
        """A clean stop (SIGINT/SIGTERM)."""
        self._event.set()

    @property
    def requested(self) -> bool:
        """True once a stop was requested or a fatal error met."""
        return self._event.is_set()

    def fail(self, error: TelegramError) -> None:
        """Stop because of ``error``; the first one is the reason reported."""
        if self.error is None:
            self.error = error
        self._event.set()

    def on_poll_error(self, error: TelegramError) -> None:
        """Polling failed: another poller (409) is fatal; anything else is retried by PTB."""
        if isinstance(error, Conflict):
            self.fail(error)
        else:
            logger.warning("polling failed, retrying: %s", error)

    async def wait(self) -> None:
        """Until a stop is requested or a fatal error met."""
        await self._event.wait()


class _Echoes(logging.Filter):
    """Drops log records of the fatal error a :class:`Stop` holds: `run` reports it, once."""

    def __init__(self, stop: Stop) -> None:
        super().__init__()
        self.stop = stop

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a record carrying an error of the fatal error's kind."""
        error = record.exc_info[1] if record.exc_info else None
        fatal = self.stop.error
        return fatal is None or not isinstance(error, type(fatal))


def fatal_reason(error: TelegramError, config: Config) -> str:
    """One line saying what went wrong and what to check; never the token itself."""
    if isinstance(error, InvalidToken):  # 401, or 404 from a base_url that is not a Bot API
        return (
            "Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN (or telegram.token) "
            f"and telegram.base_url ({config.telegram.base_url})"
        )
    if isinstance(error, Conflict):
        return f"another bot process uses this token (409 Conflict: {error.message})"
    if isinstance(error, BadRequest):  # e.g. a webhook URL Telegram does not accept
        return f"Telegram refused to start the bot: {error.message}"
    if isinstance(error, NetworkError):
        return f"cannot reach Telegram at {config.telegram.base_url}: {error.message}"
    return f"Telegram error: {error.message}"


async def load_until_stopped(load: Callable[[], T], stop: Stop) -> T | None:
    """``load()`` in a thread of its own, or None as soon as SIGINT/SIGTERM comes first.

    A first build of a large corpus takes minutes; a stop meanwhile abandons it at once
    (its worker processes ended, the thread left to die with the process) rather than
    waiting for it, as a thread of the loop's executor would be waited for.
    """
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.request)
    try:
        loading, stopping = _in_thread(load), asyncio.ensure_future(stop.wait())
        await asyncio.wait({loading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if loading.done():
            return loading.result()
        loading.cancel()  # whatever the abandoned load ends with is dropped, never logged
        abandon()  # the build's worker processes end, and no other starts
        for child in multiprocessing.active_children():
            child.terminate()
        return None
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)


def _in_thread(work: Callable[[], T]) -> asyncio.Future[T]:
    """``work()`` in a daemon thread: a future of its result that nothing has to join."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None = None, error: BaseException | None = None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            outcome = functools.partial(settle, work())
        except BaseException as exc:  # handed to the awaiting coroutine, if any is left
            outcome = functools.partial(settle, error=exc)
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
            loop.call_soon_threadsafe(outcome)

    threading.Thread(target=run, name="knowledge-load", daemon=True).start()
    return future


async def _check_token(context: CallbackContext) -> None:
    """A getMe call: a revoked token answers 401, which ends the run (see ``on_rejected``)."""
    try:
        await context.bot.get_me()
    except InvalidToken:
        pass  # already reported to the Stop by the request that met it
    except NetworkError as exc:
        logger.warning("token check failed, will retry: %s", exc)


async def _start_updates(app: Application, config: Config, stop: Stop, site: Site) -> None:
    """Long polling, or the webhook (served by ``site``) when ``telegram.webhook.url`` is set."""
    hook = config.telegram.webhook
    if not hook.enabled:
        await app.updater.start_polling(
            allowed_updates=Update.ALL_TYPES, error_callback=stop.on_poll_error
        )
        return
    app.job_queue.run_repeating(_check_token, interval=TOKEN_CHECK_S, first=TOKEN_CHECK_S)
    await app.bot.set_webhook(
        url=hook.url, secret_token=site.secret, allowed_updates=Update.ALL_TYPES
    )


async def serve(app: Application, config: Config, stop: Stop, site: Site | None = None) -> None:
    """Serve until ``stop``; raises the fatal ``TelegramError`` that ended the run, if any.

    ``site`` is the HTTP server already serving /healthz (see ``bot.web``); without one, one
    is started here. It receives the webhook's updates once the bot is attached to it.
    """
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.request)
    echoes = _Echoes(stop)
    for name in ECHOING_LOGGERS:
        logging.getLogger(name).addFilter(echoes)
    own_site = site is None
    site = Site(config) if site is None else site
    try:
        if own_site:
            await site.start()
        async with app:  # initialize: getMe, where a rejected token shows first
            if app.post_init:
                await app.post_init(app)
            site.attach(app.bot_data, app)
            await _start_updates(app, config, stop, site)
            await app.start()
            try:
                await stop.wait()
            finally:
                # the polling task re-raises the error that killed it: already in stop.error
                if app.updater.running:
                    with contextlib.suppress(TelegramError):
                        await app.updater.stop()
                await app.stop()
    finally:
        if own_site:
            await site.stop()
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        for name in ECHOING_LOGGERS:
            logging.getLogger(name).removeFilter(echoes)
    if stop.error is not None:
        raise stop.error

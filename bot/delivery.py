"""Getting replies to Telegram despite hiccups: bounded retries for 5xx and dropped connections.

PTB's ``AIORateLimiter`` already waits out ``RetryAfter`` (429). It does not retry a request
that met a 5xx or a lost connection, so that reply would be lost; :class:`RetryingRequest`
retries those with exponential backoff. A 4xx (``BadRequest``: our fault) is never retried,
and neither is a message whose request may have reached Telegram (its reply timed out or the
connection dropped after sending): the user would get it twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from telegram import InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest, RequestData

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRIES = 3  # extra attempts after the first
BACKOFF = 0.25  # seconds before the first retry; doubles each time
# nothing to do: an unchanged edit, a stale query, an edit of a message deleted meanwhile
BENIGN = ("message is not modified", "query is too old", "message to edit not found")


class RetryingRequest(HTTPXRequest):
    """``HTTPXRequest`` that retries 5xx replies and network errors a bounded number of times.

    A rejected token (401, or 404 from a wrong ``base_url``) is passed to ``on_rejected``
    before it is raised: the run must end, whichever call met it first.
    """

    def __init__(
        self,
        *args: Any,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        on_rejected: Callable[[InvalidToken], None] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.retries = retries
        self.backoff = backoff
        self.on_rejected = on_rejected

    async def post(self, url: str, *args: Any, **kwargs: Any) -> Any:
        """Send and parse the reply; a rejected token is reported to ``on_rejected`` too.

        PTB raises ``InvalidToken`` for any 401 or 404. A 401 is always the token; a 404 only
        on the calls every bot makes (a self-hosted server may lack some newer method).
        """
        try:
            return await super().post(url, *args, **kwargs)
        except InvalidToken as exc:
            method = url.rsplit("/", 1)[-1]
            rejected = method in ("getMe", "getUpdates") or "Unauthorized" in exc.message
            if rejected and self.on_rejected is not None:
                self.on_rejected(exc)
            raise

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts: Any
    ) -> tuple[int, bytes]:
        """Send; on a 5xx or a dropped connection wait and try again, at most ``retries`` times."""
        name = url.rsplit("/", 1)[-1]  # the Bot API method; the URL itself holds the token
        for attempt in range(self.retries + 1):
            try:
                code, payload = await super().do_request(url, method, request_data, **timeouts)
            except (TimedOut, NetworkError) as exc:
                last = attempt == self.retries or "Pool timeout" in str(exc)
                if last or (_sends(name) and _may_have_arrived(exc)):
                    raise
                logger.warning(
                    "%s: %s; retry %d of %d", name, type(exc).__name__, attempt + 1, self.retries
                )
            else:
                if code < 500 or attempt == self.retries:
                    return code, payload
                logger.warning("%s: HTTP %d; retry %d of %d", name, code, attempt + 1, self.retries)
            await asyncio.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")


def _sends(method: str) -> bool:
    """True for a method that posts something to a chat: done twice, it is there twice."""
    return method.startswith(("send", "forward", "copy")) and method != "sendChatAction"


def _may_have_arrived(error: NetworkError) -> bool:
    """False only when the request never left: the connection was not even made."""
    return not isinstance(error.__cause__, (httpx.ConnectError, httpx.ConnectTimeout))


UNWRITABLE = ("topic_closed", "not enough rights to send", "chat_write_forbidden")


def is_unwritable(error: BaseException | None) -> bool:
    """True when the chat takes no message from the bot now (a closed forum topic, a group
    whose admins took its right to write): there is no one to tell."""
    return isinstance(error, BadRequest) and any(u in str(error).lower() for u in UNWRITABLE)


def is_benign(error: BaseException | None) -> bool:
    """True for errors that only mean "nothing to do" (``BENIGN``)."""
    return isinstance(error, BadRequest) and any(b in str(error).lower() for b in BENIGN)


async def quietly(call: Awaitable[T]) -> T | None:
    """Await ``call``; a benign ``BadRequest`` gives None instead of an error, and so does an
    edit of a message left behind in a group upgraded to a supergroup since."""
    try:
        return await call
    except ChatMigrated as exc:
        logger.debug("ignored: %s", exc)
        return None
    except BadRequest as exc:
        if not is_benign(exc):
            raise
        logger.debug("ignored: %s", exc)
        return None


async def reply(
    message: Message, html: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Message:
    """``message.reply_text``; when its group was upgraded to a supergroup since (a button
    pressed on an old answer, a question answered as the group moved), sent to the supergroup,
    not as a reply: ``message`` stayed behind in the old group."""
    try:
        return await message.reply_text(html, reply_markup=reply_markup)
    except ChatMigrated as exc:
        logger.info("chat %s is now supergroup %s: replied there", message.chat_id, exc.new_chat_id)
        return await message.get_bot().send_message(
            exc.new_chat_id, html, reply_markup=reply_markup
        )


async def best_effort(call: Awaitable[T]) -> T | None:
    """Await a nice-to-have call (a typing indicator); any Telegram error is only logged."""
    try:
        return await call
    except TelegramError as exc:
        logger.debug("best-effort call failed: %s", exc)
        return None

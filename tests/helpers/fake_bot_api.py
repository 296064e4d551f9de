"""A fake Telegram Bot API on 127.0.0.1 that speaks the real JSON and rejects what Telegram rejects.

Start it with ``with FakeBotApi() as api:``; point the bot at ``api.base_url`` and
``api.base_file_url``. Queue updates with :meth:`FakeBotApi.push`, read what the bot sent
from :attr:`FakeBotApi.calls`, and inject faults with :meth:`FakeBotApi.fail_next`.
"""

from __future__ import annotations

import functools
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.helpers.fake_bot_methods import BOT_USER, BotApiMethods
from tests.helpers.fake_http import Handler
from tests.helpers.telegram_rules import ApiError, telegram_delivers

__all__ = ["TOKEN", "Call", "FakeBotApi"]

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"


@dataclass
class Call:
    """One request the bot made, and how the fake answered it."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    status: int = 200
    result: Any = None
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the fake answered 200."""
        return self.status == 200


class Server(ThreadingHTTPServer):
    # the bot opens up to ~70 connections at once; the default accept backlog of 5 overflows
    request_queue_size = 128


class FakeBotApi(BotApiMethods):
    """The fake server: state, request log and dispatch to the Bot API methods it implements."""

    def __init__(self, token: str = TOKEN, inline_timeout: float = 10.0, poll_cap: float = 0.5):
        self.token = token
        self.inline_timeout = inline_timeout
        self.poll_cap = poll_cap
        self.calls: list[Call] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.download_limit = 20 * 1024 * 1024  # getFile serves bots files up to 20 MB
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._messages: dict[tuple[int, int], tuple[str, Any]] = {}
        self._inbox: dict[tuple[int, int], dict[str, Any]] = {}  # users' messages, by chat and id
        self._queries: dict[str, float] = {}  # open inline/callback query id -> deadline
        self._faults: dict[str, list[tuple[int, int | None]]] = {}
        self._late: dict[str, list[float]] = {}  # method -> seconds to hold done calls' replies
        self._blocked: dict[tuple[str, str], float] = {}  # (method, chat) -> end of its 429
        self.blocked: set[int] = set()  # users who blocked the bot: sending to them is 403
        self.migrated: dict[int, int] = {}  # group -> the supergroup it was upgraded to
        self.gone: set[int] = set()  # deleted chats: "chat not found"
        self.closed_topics: set[tuple[int, int]] = set()  # (chat, forum topic) closed
        self.kicked: set[int] = set()  # groups the bot was removed from: sending there is 403
        # privacy mode (@BotFather /setprivacy, on by default): in groups the bot is sent only
        # commands, mentions of it, replies to it and service messages
        self.privacy = False
        self.hidden: list[dict[str, Any]] = []  # updates pushed that Telegram did not deliver
        self._chats: dict[int, dict[str, Any]] = {}  # chats seen in pushed updates, by id
        self._forums: set[int] = set()  # supergroups with topics, as seen in pushed updates
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._methods: dict[str, Callable[[dict[str, Any], dict], Any]] = {
            name[4:].lower(): getattr(self, name) for name in dir(self) if name.startswith("api_")
        }

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> FakeBotApi:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Listen on 127.0.0.1 on a free port, in a daemon thread."""
        handler = type("Handler", (Handler,), {"api": self})
        self._server = Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        serve = functools.partial(self._server.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()

    def stop(self) -> None:
        """Shut the server down."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """The ``telegram.base_url`` to configure; PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """The ``telegram.base_file_url`` to configure."""
        return f"{self.url}/file/bot"

    # --- test controls -----------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates, as Telegram would deliver it (not at all: another
        bot's message, or chatter under privacy mode); assigns ``update_id``, opens its queries."""
        with self._cond:
            update = self.deliver(update)
            if update.get("hidden"):
                return update
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def deliver(self, update: dict[str, Any]) -> dict[str, Any]:
        """``update`` with its ``update_id``, recorded as sent to the bot; for an update Telegram
        would not deliver, ``{"hidden": True}`` is added and nothing is recorded."""
        with self._cond:
            update = {**update, "update_id": next(self._update_ids)}
            if not telegram_delivers(update, self.privacy, BOT_USER):
                self.hidden.append(update)
                return {**update, "hidden": True}
            self.track(update)
            sent = update.get("message") or update.get("channel_post")
            if sent is not None:
                self._inbox[(sent["chat"]["id"], sent["message_id"])] = sent
                self._chats[sent["chat"]["id"]] = sent["chat"]
                if sent["chat"].get("is_forum") or sent.get("is_topic_message"):
                    self._forums.add(sent["chat"]["id"])
        return update

    def track(self, update: dict[str, Any]) -> None:
        """Open the inline or callback query of ``update`` (for updates fed directly)."""
        for kind in ("inline_query", "callback_query"):
            if kind in update:
                self._queries[update[kind]["id"]] = time.monotonic() + self.inline_timeout

    def fail_next(self, method: str, times: int = 1, status: int = 502, retry_after: int = 1):
        """Make the next ``times`` calls of ``method`` fail with ``status`` (429 or 5xx)."""
        with self._cond:
            fault = (status, retry_after if status == 429 else None)
            self._faults.setdefault(method.lower(), []).extend([fault] * times)

    def answer_late(self, method: str, seconds: float, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method``, then hold each reply ``seconds``:
        a reply lost on the way back, as the client's read timeout sees it."""
        with self._cond:
            self._late.setdefault(method.lower(), []).extend([seconds] * times)

    def delete(self, chat_id: int, message_id: int) -> None:
        """A user deletes a message the bot sent: editing it is then "not found"."""
        with self._cond:
            self._messages.pop((chat_id, message_id), None)

    def revoke_token(self) -> None:
        """Revoke the bot's token, as @BotFather's /revoke does: every later call gets 401."""
        with self._cond:
            self.token = "1:revoked"
            self._cond.notify_all()

    def add_file(self, content: bytes, name: str) -> dict[str, Any]:
        """Store a downloadable file; returns the Document JSON for an update."""
        file_id = f"file{len(self.files) + 1}"
        suffix = "".join(c for c in Path(name).suffix if c.isalnum() or c == ".")
        self.files[file_id] = (f"documents/{file_id}{suffix}", content)  # Telegram's own path
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "mime_type": "text/plain",
            "file_size": len(content),
        }

    def requests(self, method: str, ok: bool | None = None) -> list[Call]:
        """Calls of ``method`` (case-insensitive), optionally only successful or failed ones."""
        with self._cond:
            calls = [c for c in self.calls if c.method.lower() == method.lower()]
        return [c for c in calls if ok is None or c.ok == ok]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Successful sendMessage/editMessageText calls, optionally to one chat."""
        calls = [
            c for c in self.calls if c.ok and c.method.lower() in {"sendmessage", "editmessagetext"}
        ]
        return [c for c in calls if chat_id is None or int(c.params["chat_id"]) == chat_id]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Block until ``predicate()`` is truthy (re-checked on every request); return it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        "condition not met; calls: " + ", ".join(c.method for c in self.calls)
                    )
                self._cond.wait(min(left, 0.1))

    # --- dispatch ----------------------------------------------------------------------

    def _flood_wait(self, flood: tuple[str, str]) -> None:
        """Raise 429 for a (method, chat) call made before its flood wait is over."""
        left = self._blocked.get(flood, 0.0) - time.monotonic()
        if left > 0:
            raise ApiError(429, "flood wait not over", max(1, round(left)))

    def handle(self, method: str, params: dict[str, Any], files: dict) -> tuple[int, dict]:
        """Run one Bot API call; returns HTTP status and the JSON body."""
        call = Call(method, params, files)
        try:
            with self._cond:
                flood = (method.lower(), str(params.get("chat_id", "")))
                self._flood_wait(flood)
                faults = self._faults.get(method.lower())
                if faults:
                    status, retry_after = faults.pop(0)
                    if status == 429:  # Telegram refuses again until retry_after is over
                        self._blocked[flood] = time.monotonic() + (retry_after or 0)
                    raise ApiError(status, f"injected {status}", retry_after)
            impl = self._methods.get(method.lower())
            if impl is None:
                raise ApiError(404, "Not Found: method not found")
            call.result = impl(params, files)
            body: dict[str, Any] = {"ok": True, "result": call.result}
        except ApiError as exc:
            call.status, call.error = exc.status, exc.description
            body = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            if exc.status == 429:
                body["description"] = f"Too Many Requests: retry after {exc.retry_after}"
                body["parameters"] = {"retry_after": exc.retry_after}
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
            late = self._late.get(method.lower())
            hold = late.pop(0) if late else 0.0
        time.sleep(hold)
        return call.status, body

"""A small fake Telegram Bot API on 127.0.0.1 for ``bench --e2e``: updates in, replies timed.

It answers what the bot calls while answering questions (getMe, getUpdates, sendMessage,
editMessageText, sendChatAction, setMyCommands, ...) with minimal valid JSON and notes, per
chat, when each sendMessage arrives. It checks nothing: the tests' fake (``tests/helpers``)
holds the bot to Telegram's rules; this one only times it, and ships with the package.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456789:AAFakeTokenForBenchOnly_abcdefghijk"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Ceasefire Talks",
    "username": "CeasefireBenchBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
POLL_CAP_S = 0.5  # longest a getUpdates waits for an update, whatever the bot asks


def chat_of(params: dict[str, Any]) -> dict[str, Any]:
    """The Chat JSON of a request's ``chat_id``."""
    chat_id = int(params.get("chat_id") or 0)
    return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}


def message(text: str, chat_id: int, user_id: int) -> dict[str, Any]:
    """A text-message update from ``user_id`` in a private chat, a command marked as one."""
    msg: dict[str, Any] = {
        "message_id": next(_incoming_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "User"},
        "from": {"id": user_id, "is_bot": False, "first_name": "User", "language_code": "en"},
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": msg}


_incoming_ids = itertools.count(1)


class FakeBotApi:
    """The server: queued updates, and the time of each sendMessage per chat."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.replies: dict[int, list[float]] = {}  # chat id -> perf_counter() of each reply
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FakeBotApi:
        handler = type("Handler", (Handler,), {"api": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.request_queue_size = 128  # the bot opens many connections at once
        serve = functools.partial(self._server.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        """The ``telegram.base_url`` to configure; PTB appends the token."""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    @property
    def base_file_url(self) -> str:
        """The ``telegram.base_file_url`` to configure (the bench sends no files)."""
        return self.base_url.replace("/bot", "/file/bot")

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for the bot's next getUpdates."""
        with self._cond:
            self._updates.append({**update, "update_id": next(self._update_ids)})
            self._cond.notify_all()

    def count(self, chat_id: int) -> int:
        """How many replies ``chat_id`` has had."""
        with self._cond:
            return len(self.replies.get(chat_id, []))

    def handle(self, method: str, params: dict[str, Any]) -> Any:
        """The ``result`` of one Bot API call."""
        method = method.lower()
        if method == "getme":
            return BOT_USER
        if method == "getupdates":
            return self._get_updates(
                int(params.get("offset") or 0), float(params.get("timeout") or 0)
            )
        if method == "sendmessage":
            with self._cond:
                self.replies.setdefault(int(params["chat_id"]), []).append(time.perf_counter())
        if method in {"sendmessage", "editmessagetext", "editmessagereplymarkup"}:
            return {
                "message_id": int(params.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "from": BOT_USER,
                "chat": chat_of(params),
                "text": str(params.get("text", "")),
            }
        return True

    def _get_updates(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + min(timeout, POLL_CAP_S)
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self._updates)


class Handler(BaseHTTPRequestHandler):
    """POST /bot<token>/<method> with a form or JSON body -> ``{"ok": true, "result": ...}``."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else delayed ACKs add ~40 ms per reply to the timings
    api: FakeBotApi

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        prefix = f"/bot{self.api.token}/"
        path = urllib.parse.unquote(self.path)
        if not path.startswith(prefix):
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        if self.headers.get("Content-Type", "").startswith("application/json"):
            params = json.loads(body) if body else {}
        else:
            params = dict(urllib.parse.parse_qsl(body.decode("utf-8")))
        result = self.api.handle(path[len(prefix) :].split("?")[0], params)
        self._reply(200, {"ok": True, "result": result})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # a long poll the bot cancelled
            self.close_connection = True

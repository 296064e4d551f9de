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

from tests.helpers.fake_http import Handler, parse_body
from tests.helpers.telegram_html import parse_html
from tests.helpers.telegram_rules import (
    ApiError,
    check_inline_results,
    check_markup,
    check_text,
    telegram_delivers,
)

__all__ = [
    "BOT_USER",
    "TOKEN",
    "ApiError",
    "Call",
    "FakeBotApi",
    "check_inline_results",
    "check_markup",
    "check_text",
    "parse_body",
]

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Ceasefire Talks",
    "username": "CeasefireTestBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


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


class FakeBotApi:
    """The fake server: state, request log and the Bot API methods it implements."""

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
            if "message" in update:
                sent = update["message"]
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

    # --- Bot API methods ----------------------------------------------------------------

    def api_getMe(self, params: dict, files: dict) -> dict:
        return BOT_USER

    def api_deleteWebhook(self, params: dict, files: dict) -> bool:
        return True

    def api_setWebhook(self, params: dict, files: dict) -> bool:
        if not str(params.get("url", "")).startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        return True

    def api_setMyCommands(self, params: dict, files: dict) -> bool:
        for command in params.get("commands", []):
            name, text = command.get("command", ""), command.get("description", "")
            if not (1 <= len(name) <= 32 and name.replace("_", "a").isalnum() and name.islower()):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(text) <= 256:
                raise ApiError(400, "Bad Request: command description is empty")
        return True

    def api_getUpdates(self, params: dict, files: dict) -> list:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), self.poll_cap)
        deadline = time.monotonic() + wait
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self._updates[:limit])

    def api_sendChatAction(self, params: dict, files: dict) -> bool:
        self._check_chat(int(params["chat_id"]))
        return True

    def _check_chat(self, chat_id: int) -> None:
        """Raise what Telegram answers for a chat the bot cannot post or edit in."""
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.kicked:
            raise ApiError(403, "Forbidden: bot was kicked from the supergroup chat")
        if chat_id in self.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                parameters={"migrate_to_chat_id": self.migrated[chat_id]},
            )
        if chat_id in self.gone:
            raise ApiError(400, "Bad Request: chat not found")

    def _thread(self, chat_id: int, params: dict) -> int | None:
        """The forum topic a message goes to: the one named, else the replied message's."""
        thread = params.get("message_thread_id")
        replied = (params.get("reply_parameters") or {}).get("message_id")
        inbox = self._inbox.get((chat_id, int(replied))) if replied is not None else None
        if thread is None and inbox is not None and inbox.get("is_topic_message"):
            thread = inbox["message_thread_id"]  # a reply goes where its message is
        if thread is None:
            return None
        if chat_id not in self._forums:  # a normal group, or a private chat
            raise ApiError(400, "Bad Request: message thread not found")
        if (chat_id, int(thread)) in self.closed_topics:
            raise ApiError(400, "Bad Request: TOPIC_CLOSED")
        return int(thread)

    def _message(self, chat_id: int, text: str, markup: Any) -> dict:
        message_id = next(self._message_ids)
        chat_type = "private" if chat_id > 0 else "supergroup"
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "from": BOT_USER,
            "chat": self._chats.get(chat_id, {"id": chat_id, "type": chat_type}),
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        return message

    def api_sendMessage(self, params: dict, files: dict) -> dict:
        plain = check_text(str(params.get("text", "")), params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_markup(markup)
        chat_id = int(params["chat_id"])
        self._check_chat(chat_id)
        thread = self._thread(chat_id, params)
        message = self._message(chat_id, plain, markup)
        if thread is not None:
            message.update(message_thread_id=thread, is_topic_message=True)
        replied = (params.get("reply_parameters") or {}).get("message_id")
        if replied is not None and (chat_id, int(replied)) in self._inbox:
            message["reply_to_message"] = self._inbox[(chat_id, int(replied))]
        with self._cond:
            self._messages[(chat_id, message["message_id"])] = (str(params["text"]), markup)
        return message

    def api_editMessageText(self, params: dict, files: dict) -> dict:
        plain = check_text(str(params.get("text", "")), params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_markup(markup)
        key = self._replace(params, lambda _old: (str(params["text"]), markup))
        message = self._message(key[0], plain, markup)
        return {**message, "message_id": key[1], "edit_date": int(time.time())}

    def api_editMessageReplyMarkup(self, params: dict, files: dict) -> dict:
        markup = params.get("reply_markup")
        check_markup(markup)
        key = self._replace(params, lambda old: (old[0], markup))
        text = self._messages[key][0]
        return {**self._message(key[0], parse_html(text).plain, markup), "message_id": key[1]}

    def _replace(self, params: dict, edit: Any) -> tuple[int, int]:
        """Apply ``edit`` (old (text, markup) -> new) to a sent message, as Telegram would."""
        key = (int(params["chat_id"]), int(params["message_id"]))
        self._check_chat(key[0])
        with self._cond:
            if key not in self._messages:
                raise ApiError(400, "Bad Request: message to edit not found")
            new = edit(self._messages[key])
            if new == self._messages[key]:
                raise ApiError(400, NOT_MODIFIED)
            self._messages[key] = new
        return key

    def _close_query(self, query_id: str) -> None:
        with self._cond:
            deadline = self._queries.pop(query_id, None)
        if deadline is None or time.monotonic() > deadline:
            raise ApiError(400, QUERY_TOO_OLD)

    def api_answerCallbackQuery(self, params: dict, files: dict) -> bool:
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._close_query(str(params["callback_query_id"]))
        return True

    def api_answerInlineQuery(self, params: dict, files: dict) -> bool:
        check_inline_results(params.get("results", []), params.get("next_offset", ""))
        self._close_query(str(params["inline_query_id"]))
        return True

    def api_getFile(self, params: dict, files: dict) -> dict:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, content = self.files[file_id]
        if len(content) > self.download_limit:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": path,
        }

    def api_sendDocument(self, params: dict, files: dict) -> dict:
        if "document" not in files and not params.get("document"):
            raise ApiError(400, "Bad Request: there is no document in the request")
        chat_id = int(params["chat_id"])
        return {
            **self._message(chat_id, "", None),
            "document": {"file_id": "sent", "file_unique_id": "s"},
        }

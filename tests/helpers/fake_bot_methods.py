"""The Bot API methods the fake server implements, refusing what Telegram refuses.

Each ``api_<method>`` takes the call's parameters and uploaded files and returns its
result or raises :class:`ApiError`; :class:`~tests.helpers.fake_bot_api.FakeBotApi` keeps
the state they read and dispatches to them by name.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from tests.helpers.telegram_html import parse_html
from tests.helpers.telegram_rules import (
    ApiError,
    check_inline_results,
    check_markup,
    check_text,
)

__all__ = ["BOT_USER", "BotApiMethods"]

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


class BotApiMethods:
    """The Bot API methods, over the chats, messages and queries FakeBotApi keeps."""

    # set by FakeBotApi.__init__
    _cond: threading.Condition
    _updates: list[dict[str, Any]]
    _message_ids: itertools.count
    _messages: dict[tuple[int, int], tuple[str, Any]]
    _inbox: dict[tuple[int, int], dict[str, Any]]
    _queries: dict[str, float]
    _chats: dict[int, dict[str, Any]]
    _forums: set[int]
    poll_cap: float
    files: dict[str, tuple[str, bytes]]
    download_limit: int
    blocked: set[int]
    kicked: set[int]
    migrated: dict[int, int]
    gone: set[int]
    closed_topics: set[tuple[int, int]]

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
        if message["chat"]["type"] == "channel":  # a channel post is the channel's, no one's
            del message["from"]
            message["sender_chat"] = message["chat"]
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

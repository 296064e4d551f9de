"""What the Bot API refuses, as checks the fake server and the render tests share."""

from __future__ import annotations

from typing import Any

from telegram.constants import (
    InlineKeyboardButtonLimit,
    InlineQueryLimit,
    InlineQueryResultLimit,
    MessageLimit,
)

from tests.helpers.telegram_html import HtmlError, parse_html


class ApiError(Exception):
    """A Bot API error reply: HTTP status and Telegram's description."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after
        self.parameters = parameters  # e.g. {"migrate_to_chat_id": ...}


MAX_ROW_BUTTONS = 8  # inline buttons in one row, as Telegram's clients and servers allow
MAX_BUTTONS = 100  # inline buttons in one keyboard


def _bytes(value: Any) -> int:
    return len(str(value).encode("utf-8"))


def check_text(text: str, parse_mode: str | None) -> str:
    """The plain text a message shows; raises ApiError as Telegram would."""
    plain = text
    if parse_mode and parse_mode.upper() == "HTML":
        try:
            plain = parse_html(text).plain
        except HtmlError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
    if not plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(plain.encode("utf-16-le")) // 2 > MessageLimit.MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return plain


def check_markup(markup: Any) -> None:
    """Reject inline keyboards Telegram would reject."""
    if not markup:
        return
    rows = markup.get("inline_keyboard", [])
    if any(len(row) > MAX_ROW_BUTTONS for row in rows):
        raise ApiError(400, "Bad Request: too many buttons in a row")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not (
                InlineKeyboardButtonLimit.MIN_CALLBACK_DATA
                <= _bytes(data)
                <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
            ):
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def check_inline_results(results: list[dict[str, Any]], next_offset: str = "") -> None:
    """Reject inline query answers Telegram would reject (results as JSON dicts)."""
    if len(results) > InlineQueryLimit.RESULTS:
        raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
    if _bytes(next_offset) > InlineQueryLimit.MAX_OFFSET_LENGTH:
        raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
    ids = [str(r.get("id", "")) for r in results]
    low, high = InlineQueryResultLimit.MIN_ID_LENGTH, InlineQueryResultLimit.MAX_ID_LENGTH
    if any(not low <= _bytes(i) <= high for i in ids):
        raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
    if len(set(ids)) != len(ids):
        raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
    for result in results:
        if result.get("type") == "article" and not str(result.get("title", "")).strip():
            raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
        content = result.get("input_message_content") or {}
        if "message_text" in content:
            check_text(content["message_text"], content.get("parse_mode"))
        check_markup(result.get("reply_markup"))


SERVICE = (
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "new_chat_members",
    "left_chat_member",
    "group_chat_created",
)
ANONYMOUS = (1087968824, 136817688)  # GroupAnonymousBot, Channel_Bot: people, not bots


def telegram_delivers(update: dict[str, Any], privacy: bool, bot: dict[str, Any]) -> bool:
    """Whether Telegram sends ``update`` to ``bot`` (its getMe user): never another bot's
    message in a group; under privacy mode, only commands, mentions of the bot, replies to it
    and service messages."""
    msg = update.get("message")
    if msg is None or msg["chat"]["type"] not in ("group", "supergroup"):
        return True
    sender = msg.get("from") or {}
    if sender.get("is_bot") and sender.get("id") not in ANONYMOUS:
        return False
    if not privacy or any(key in msg for key in SERVICE):
        return True
    text = msg.get("text") or msg.get("caption") or ""
    entities = msg.get("entities") or msg.get("caption_entities") or []
    me = "@" + bot["username"].lower()
    command = text.split(maxsplit=1)[0].lower() if text.startswith("/") else ""
    units = text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    mentions = [
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le").lower()
        for e in entities
        if e["type"] == "mention"
    ]
    replied = (msg.get("reply_to_message") or {}).get("from") or {}
    return (
        (bool(command) and ("@" not in command or command.endswith(me)))
        or me in mentions
        or replied.get("id") == bot["id"]
    )

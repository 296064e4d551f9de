"""Update factories: the JSON Telegram sends, for the fake server's getUpdates or process_update."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from tests.helpers.fake_bot_methods import BOT_USER

_ids = itertools.count(1)
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")


def user(user_id: int = 1001, name: str = "Alice") -> dict[str, Any]:
    """A human user."""
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "en"}


def chat(chat_id: int) -> dict[str, Any]:
    """A private chat for positive ids, a supergroup for negative ones."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Alice"}
    return {"id": chat_id, "type": "supergroup", "title": "Peace talks watchers"}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _entities(text: str) -> list[dict[str, Any]]:
    entities = []
    command = _COMMAND.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": _utf16(command.group())})
    for match in _MENTION.finditer(text):
        if command and match.start() < command.end():
            continue
        start = _utf16(text[: match.start()])
        entities.append({"type": "mention", "offset": start, "length": _utf16(match.group())})
    return entities


def _incoming(chat_id: int, user_id: int, **fields: Any) -> dict[str, Any]:
    """A new message from ``user_id`` in ``chat_id`` with ``fields`` (text, document...)."""
    return {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": user(user_id),
        **fields,
    }


def message(
    text: str,
    chat_id: int = 1001,
    user_id: int = 1001,
    reply_to: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message update, with bot_command and mention entities as Telegram marks them."""
    msg = _incoming(chat_id, user_id, text=text, **extra)
    entities = _entities(text)
    if entities:
        msg["entities"] = entities
    if reply_to is not None:
        msg["reply_to_message"] = reply_to
    return {"message": msg}


def edited(update: dict[str, Any]) -> dict[str, Any]:
    """``update`` (from :func:`message`) as its author's later edit of that message."""
    return {"edited_message": {**update["message"], "edit_date": int(time.time())}}


def bot_message(text: str, chat_id: int, message_id: int) -> dict[str, Any]:
    """A message the bot sent earlier (to reply to, or to attach a callback to)."""
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": BOT_USER,
        "text": text,
    }


def document(
    file: dict[str, Any], chat_id: int = 1001, user_id: int = 1001, caption: str | None = None
) -> dict[str, Any]:
    """A message carrying a document (``file`` from ``FakeBotApi.add_file``), with an optional
    caption (its commands and mentions marked as Telegram marks them)."""
    msg = _incoming(chat_id, user_id, document=file)
    if caption:
        msg["caption"] = caption
        entities = _entities(caption)  # a leading /command is marked in a caption too
        if entities:
            msg["caption_entities"] = entities
    return {"message": msg}


MEDIA = {
    "photo": [{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90}],
    "sticker": {
        "file_id": "s1",
        "file_unique_id": "us1",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    },
    "voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3},
}


def media(
    kind: str, chat_id: int = 1001, user_id: int = 1001, caption: str | None = None
) -> dict[str, Any]:
    """A message carrying a photo, sticker or voice note (``kind``), with an optional caption
    (its commands and mentions marked as Telegram marks them)."""
    msg = _incoming(chat_id, user_id, **{kind: MEDIA[kind]})
    if caption:
        msg["caption"] = caption
        entities = _entities(caption)  # a leading /command is marked in a caption too
        if entities:
            msg["caption_entities"] = entities
    return {"message": msg}


def callback(data: str, sent: dict[str, Any], user_id: int = 1001) -> dict[str, Any]:
    """A button press on ``sent`` (a Message JSON the bot sent)."""
    return {
        "callback_query": {
            "id": f"cb{next(_ids)}",
            "from": user(user_id),
            "chat_instance": "ci1",
            "data": data,
            "message": sent,
        }
    }


def inline_query(query: str, offset: str = "", user_id: int = 1001) -> dict[str, Any]:
    """An inline query ``@bot query``."""
    return {
        "inline_query": {
            "id": f"iq{next(_ids)}",
            "from": user(user_id),
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        }
    }


def migrated(group_id: int, supergroup_id: int) -> dict[str, Any]:
    """The service message a group gets when it is upgraded to the supergroup."""
    message = _incoming(group_id, 1001, migrate_to_chat_id=supergroup_id)
    message["chat"] = {"id": group_id, "type": "group", "title": "Peace talks watchers"}
    return {"message": message}


def bot_status(chat_id: int, status: str) -> dict[str, Any]:
    """The bot's own membership of ``chat_id`` changed to ``status`` ("kicked", "left"...)."""
    me = {"user": BOT_USER, "status": status}
    if status == "kicked":
        me["until_date"] = 0
    was = {"user": BOT_USER, "status": "member"}
    change = {"chat": chat(chat_id), "from": user(), "date": int(time.time())}
    return {"my_chat_member": {**change, "old_chat_member": was, "new_chat_member": me}}


def joined(chat_id: int, member: dict[str, Any], by: int = 1001) -> dict[str, Any]:
    """The service message Telegram posts when ``by`` adds ``member`` (``BOT_USER``: the bot)."""
    return {"message": _incoming(chat_id, by, new_chat_members=[member])}


def speaking(update: dict[str, Any], language_code: str) -> dict[str, Any]:
    """``update`` (a message, button press or inline query) from a user whose Telegram app is
    in ``language_code``."""
    for kind in ("message", "callback_query", "inline_query"):
        if kind in update:
            update[kind]["from"]["language_code"] = language_code
    return update


# --- group life: forum topics, anonymous admins, channels (as Telegram delivers them) ----------

ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
TELEGRAM = {"id": 777000, "is_bot": False, "first_name": "Telegram"}  # automatic forwards


def channel(channel_id: int, title: str = "Talks digest") -> dict[str, Any]:
    """A channel chat."""
    return {"id": channel_id, "type": "channel", "title": title}


def in_topic(update: dict[str, Any], thread_id: int, creator: int = 1001) -> dict[str, Any]:
    """``update`` (from :func:`message`) sent inside forum topic ``thread_id``: as Telegram sends
    it, a message that replies to nothing replies to the topic's service message."""
    msg = update["message"]
    msg["chat"] = {**msg["chat"], "is_forum": True}
    msg.update(message_thread_id=thread_id, is_topic_message=True)
    msg.setdefault(
        "reply_to_message",
        {
            "message_id": thread_id,
            "date": msg["date"],
            "chat": msg["chat"],
            "from": user(creator),
            "message_thread_id": thread_id,
            "is_topic_message": True,
            "forum_topic_created": {"name": "Istanbul round", "icon_color": 7322096},
        },
    )
    return update


def in_general(update: dict[str, Any]) -> dict[str, Any]:
    """``update`` sent in a forum's General topic: no thread id, as Telegram sends it."""
    update["message"]["chat"] = {**update["message"]["chat"], "is_forum": True}
    return update


def anonymously(update: dict[str, Any]) -> dict[str, Any]:
    """``update`` sent by an anonymous admin of its group: from GroupAnonymousBot, on behalf of
    the group itself."""
    msg = update["message"]
    msg.update({"from": ANONYMOUS_ADMIN, "sender_chat": msg["chat"]})
    return update


def as_channel(update: dict[str, Any], channel_id: int) -> dict[str, Any]:
    """``update`` sent in a group on behalf of the channel ``channel_id``."""
    update["message"].update({"from": CHANNEL_BOT, "sender_chat": channel(channel_id)})
    return update


def automatic_forward(text: str, group_id: int, channel_id: int) -> dict[str, Any]:
    """A post of channel ``channel_id`` forwarded by Telegram into its discussion group."""
    update = message(text, chat_id=group_id)
    origin = {"type": "channel", "chat": channel(channel_id), "message_id": 7, "date": 0}
    update["message"].update(
        {"from": TELEGRAM, "sender_chat": channel(channel_id), "is_automatic_forward": True}
    )
    update["message"]["forward_origin"] = origin
    return update


def channel_post(text: str, channel_id: int, edited: bool = False) -> dict[str, Any]:
    """A post in a channel the bot administers (or its later edit)."""
    post = {**message(text, chat_id=-1)["message"], "chat": channel(channel_id)}
    post.pop("from")
    post["sender_chat"] = channel(channel_id)
    if edited:
        post["edit_date"] = int(time.time())
    return {"edited_channel_post" if edited else "channel_post": post}

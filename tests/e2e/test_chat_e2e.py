"""Private and group chats, end to end: the real bot over HTTP against the fake Bot API."""

from __future__ import annotations

from tests.e2e.conftest import Running
from tests.helpers import updates
from tests.helpers.telegram_html import parse_html


async def test_start_shows_example_buttons(bot: Running) -> None:
    reply = await bot.send(updates.message("/start"), chat_id=1001)
    assert "Ceasefire Talks Bot" in reply.params["text"]
    buttons = [b for row in reply.params["reply_markup"]["inline_keyboard"] for b in row]
    assert "What does Russia demand?" in [b["text"] for b in buttons]


async def test_question_answered_with_citation(bot: Running) -> None:
    reply = await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    plain = parse_html(reply.params["text"]).plain
    assert "1." in plain and "—" in plain
    print(reply.params["text"])

"""Structured command handlers via process_update: routing, page size, language note, More."""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

import knowledge
from bot import keyboards, topics
from tests.helpers import updates
from tests.helpers.bot_app import feed
from tests.helpers.cli import run_cli
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_html import parse_html


async def reply_to(app: Application, api: FakeBotApi, text: str, chat_id: int = 1001):
    before = len(api.sent(chat_id))
    await feed(app, api, updates.message(text, chat_id=chat_id))
    sent = api.sent(chat_id)[before:]
    assert len(sent) == 1 and sent[0].ok, [c.error for c in sent]
    return sent[0]


def plain(call) -> str:
    return parse_html(call.params["text"]).plain


def test_the_four_commands_are_registered(app: Application) -> None:
    names = {
        name
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler) and handler.callback is topics.on_topic
        for name in handler.commands
    }
    assert names == {"stakeholders", "demands", "outcomes", "compare"}


async def test_commands_are_in_the_menu_and_help(app: Application, api: FakeBotApi) -> None:
    await app.post_init(app)
    menu = api.requests("setMyCommands", ok=True)[0].params["commands"]
    names = [c["command"] for c in menu]
    assert {"stakeholders", "demands", "outcomes", "compare"} <= set(names)
    assert len(names) == len(set(names))
    text = plain(await reply_to(app, api, "/help"))
    assert "/demands russia" in text and "/outcomes" in text


async def test_demands_reply_has_a_full_page(app: Application, api: FakeBotApi) -> None:
    reply = await reply_to(app, api, "/demands russia")
    text = plain(reply)
    whole = app.bot_data.knowledge.ask("/demands russia", top=50)
    rows = reply.params["reply_markup"]["inline_keyboard"]
    sources = [b for row in rows for b in row if b["text"].startswith("Source ")]
    assert len(sources) == min(knowledge.TOPIC_TOP, len(whole.excerpts)) > 3
    assert "Donetsk, Luhansk, and Crimea" in text
    assert "foreign aid" in text and "NATO" in text


async def test_unknown_name_lists_the_known_ones(app: Application, api: FakeBotApi) -> None:
    text = plain(await reply_to(app, api, "/demands atlantis"))
    assert "no sourced answer" in text
    assert "/demands ukraine" in text and "/demands russia" in text


async def test_group_command_with_bot_name(app: Application, api: FakeBotApi) -> None:
    reply = await reply_to(app, api, "/outcomes@CeasefireTestBot minsk", chat_id=-100123)
    assert "Minsk" in plain(reply)


async def test_cyrillic_argument_gets_a_note_in_that_language(
    app: Application, api: FakeBotApi
) -> None:
    text = plain(await reply_to(app, api, "/stakeholders Туреччина"))
    assert text.startswith("Джерела англійською")
    assert "Turkey" in text
    text = plain(await reply_to(app, api, "/stakeholders Турция"))
    assert text.startswith("Источники на английском")


async def test_more_continues_the_structured_answer(app: Application, api: FakeBotApi) -> None:
    first = await reply_to(app, api, "/stakeholders")
    more = [
        b["callback_data"]
        for row in first.params["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"].startswith("More")
    ]
    assert more, "a structured answer longer than a page offers More"
    shown = app.bot_data.answers.get(keyboards.decode(more[0]).key)
    assert shown.next_offset == knowledge.TOPIC_TOP and shown.question == "/stakeholders"
    before = len(api.sent(1001))
    await feed(app, api, updates.callback(more[0], first.result))
    [second] = api.sent(1001)[before:]
    assert plain(second).startswith(f"{knowledge.TOPIC_TOP + 1}.")
    numbers = [int(line.split(".")[0]) for line in plain(second).split("\n") if line[:1].isdigit()]
    whole = len(knowledge.load().ask("/stakeholders", top=30).excerpts)
    assert numbers == list(range(knowledge.TOPIC_TOP + 1, min(whole, 2 * knowledge.TOPIC_TOP) + 1))
    assert whole > knowledge.TOPIC_TOP + 3  # so a page as long as the first shows more than 3


def test_cli_ask_routes_the_same_phrasing() -> None:
    result = run_cli("ask", "--json", "--top", "6", "demands russia")
    assert result.code == 0
    data = result.json
    assert data["answered"] is True and 4 <= len(data["results"]) <= 6
    shown = "\n".join(r["excerpt"] for r in data["results"])
    assert "Donetsk, Luhansk, and Crimea" in shown and "foreign aid" in shown
    unknown = run_cli("ask", "--json", "/outcomes atlantis")
    assert unknown.code == 0 and unknown.json["answered"] is False


async def test_compare_without_a_topic_says_what_it_needs(
    app: Application, api: FakeBotApi
) -> None:
    for text in ("/compare", "/compare@CeasefireTestBot"):
        call = await reply_to(app, api, text, chat_id=-100123 if "@" in text else 1001)
        shown = plain(call)
        assert shown.startswith("/compare needs a topic") and "• /compare territory" in shown
        assert "no sourced answer" not in shown and call.params.get("reply_markup") is None
    assert (await app.bot_data.log.asummary()).questions == 0  # not an unanswered question


async def test_compare_without_a_topic_speaks_the_users_app_language(
    app: Application, api: FakeBotApi
) -> None:
    await feed(app, api, updates.speaking(updates.message("/compare"), "ru"))
    shown = plain(api.sent(1001)[0])
    assert shown.startswith("После /compare напишите тему") and "Например:\n• /compare" in shown

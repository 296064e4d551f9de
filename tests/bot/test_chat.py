"""Chat handlers via process_update: questions, group addressing, buttons, sources pages."""

from __future__ import annotations

import json

import pytest
from telegram import Update
from telegram.ext import Application

from bot import chat, keyboards, texts
from knowledge import Knowledge
from tests.helpers import updates
from tests.helpers.bot_app import feed
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_html import parse_html


def message_of(update: dict):
    return Update.de_json({"update_id": 1, **update}, None).message


def test_question_of_strips_commands_and_mentions() -> None:
    assert chat.question_of(message_of(updates.message("/ask@Bot  who mediates?")), "Bot") == (
        "who mediates?"
    )
    assert chat.question_of(message_of(updates.message("@bot who mediates?")), "Bot") == (
        "who mediates?"
    )
    assert chat.question_of(message_of(updates.message("/ask")), "Bot") == ""


def test_addresses_bot_only_for_mentions_and_replies() -> None:
    group = -5
    mention = message_of(updates.message("hey @CeasefireTestBot minsk?", chat_id=group))
    assert chat.addresses_bot(mention, "CeasefireTestBot", 123456789)
    other = message_of(updates.message("hey @SomeoneElse minsk?", chat_id=group))
    assert not chat.addresses_bot(other, "CeasefireTestBot", 123456789)
    reply = updates.message("and?", chat_id=group, reply_to=updates.bot_message("x", group, 9))
    assert chat.addresses_bot(message_of(reply), "CeasefireTestBot", 123456789)
    assert not chat.addresses_bot(message_of(updates.message("minsk", chat_id=group)), "B", 1)


async def test_private_question_is_logged(app: Application, api: FakeBotApi) -> None:
    await feed(app, api, updates.message("What happened at the Istanbul talks?"))
    shown = parse_html(api.sent(1001)[0].params["text"]).plain
    assert shown.startswith("1.") and "Istanbul" in shown
    summary = await app.bot_data.log.asummary()
    assert summary.questions == 1 and summary.unanswered == 0


async def test_sources_pages_edit_in_place(app: Application, api: FakeBotApi) -> None:
    await feed(app, api, updates.message("/sources"))
    sent = api.sent(1001)[0]
    same_page = keyboards.encode("l", number=0)
    # a "Previous" press that Telegram delivers twice: the second finds page 0 already shown
    previous = {"inline_keyboard": [[{"text": "◂ Previous", "callback_data": same_page}]]}
    await feed(app, api, updates.callback(same_page, {**sent.result, "reply_markup": previous}))
    edits = api.requests("editMessageText")
    assert len(edits) == 1 and "not modified" in edits[0].error  # benign: no error reply
    assert len(api.sent(1001)) == 1


@pytest.mark.parametrize("data", ["l:0", "l:1", "e:0"])
async def test_forged_button_data_changes_nothing(app: Application, api: FakeBotApi, data) -> None:
    await feed(app, api, updates.message("What does Russia demand?"))
    answer = api.sent(1001)[0]
    await feed(app, api, updates.callback(data, answer.result))  # not a button of this message
    assert api.requests("editMessageText") == [] and len(api.sent(1001)) == 1
    alert = api.requests("answerCallbackQuery")[0].params
    assert alert["text"] == "Sorry, I don't recognise that button."


async def test_button_on_an_inline_message_is_answered_politely(app, api) -> None:
    press = updates.callback(keyboards.encode("l", number=0), {})
    del press["callback_query"]["message"]
    press["callback_query"]["inline_message_id"] = "abc"
    await feed(app, api, press)
    answer = api.requests("answerCallbackQuery")[0]
    assert (
        answer.ok
        and answer.params["text"] == "This button has expired. Please ask your question again."
    )


def test_every_example_question_is_answered_by_the_shipped_corpus(app: Application) -> None:
    for question in texts.EXAMPLES:
        assert app.bot_data.knowledge.ask(question).answered, question


async def test_edited_message_is_not_answered_again(app: Application, api: FakeBotApi) -> None:
    await feed(app, api, updates.edited(updates.message("Who mediates the talks?")))
    assert api.sent(1001) == []


@pytest.mark.parametrize(
    "text", ["/help", "/start", "/sources", "/ask who mediates?", "/demands russia", "/reload"]
)
async def test_edited_command_is_not_run_again(app: Application, api: FakeBotApi, text) -> None:
    await feed(app, api, updates.edited(updates.message(text)))
    await feed(app, api, updates.edited(updates.message(text, chat_id=-5)))
    assert api.sent() == []


async def test_a_failing_typing_indicator_does_not_stop_the_answer(
    app, api, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask = Knowledge.ask

    def slow_ask(self, *args, **kwargs):
        api.wait_for(lambda: api.requests("sendChatAction"))  # "typing…" is tried first
        return ask(self, *args, **kwargs)

    monkeypatch.setattr(Knowledge, "ask", slow_ask)
    monkeypatch.setattr(chat, "TYPING_AFTER_S", 0.01)
    api.fail_next("sendChatAction", times=1, status=400)
    await feed(app, api, updates.message("Who mediates the talks?"))
    assert [c.ok for c in api.requests("sendChatAction")] == [False]
    assert parse_html(api.sent(1001)[0].params["text"]).plain.startswith("1.")


async def test_a_captioned_photo_is_a_question(app: Application, api: FakeBotApi) -> None:
    await feed(app, api, updates.media("photo", caption="What happened at the Istanbul talks?"))
    shown = parse_html(api.sent(1001)[0].params["text"]).plain
    assert shown.startswith("1.") and "Istanbul" in shown


async def test_a_mention_of_the_bot_in_a_private_chat_is_not_part_of_the_question(
    app: Application, api: FakeBotApi
) -> None:
    await feed(app, api, updates.message("@CeasefireTestBot who mediates the talks?"))
    await feed(app, api, updates.message("who mediates the talks?"))
    mentioned, plain = (parse_html(m.params["text"]).plain for m in api.sent(1001))
    assert mentioned.startswith("1.") and mentioned == plain


async def test_a_group_photo_whose_caption_mentions_the_bot_is_answered(
    app: Application, api: FakeBotApi
) -> None:
    caption = "@CeasefireTestBot what happened at the Istanbul talks?"
    await feed(app, api, updates.media("photo", chat_id=-5, caption=caption))
    (reply,) = api.sent(-5)
    shown = parse_html(reply.params["text"]).plain
    assert shown.startswith("1.") and "Istanbul" in shown  # its answer, not the help
    await feed(app, api, updates.media("photo", chat_id=-5, caption="our trip to Istanbul"))
    assert len(api.sent(-5)) == 1  # a caption not for the bot is chatter


async def test_a_ukrainian_question_refused_says_nothing_of_english_quotes(
    app: Application, api: FakeBotApi
) -> None:
    await feed(app, api, updates.message("Які найкращі рецепти борщу?"))
    shown = parse_html(api.sent(1001)[0].params["text"]).plain
    assert shown.startswith("Я не знайшов відповіді") and "англійською" not in shown


@pytest.mark.parametrize(
    "update",
    [
        updates.media("photo"),
        updates.media("sticker"),
        updates.media("voice"),
        updates.message("/foo"),
    ],
)
async def test_what_the_bot_cannot_read_gets_one_line_of_help(app, api: FakeBotApi, update) -> None:
    await feed(app, api, update)
    (reply,) = api.sent(1001)
    shown = parse_html(reply.params["text"]).plain
    assert "/help" in shown and "\n" not in shown


@pytest.mark.parametrize(
    "update",
    [updates.media("photo", chat_id=-5), updates.message("/foo", chat_id=-5)],
)
async def test_groups_hear_no_help_for_what_is_not_for_the_bot(app, api: FakeBotApi, update):
    await feed(app, api, update)
    assert api.sent() == []


def _buttons(markup) -> list[dict]:
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [b for row in markup["inline_keyboard"] for b in row]


async def test_more_is_served_once_and_its_button_goes(app: Application, api: FakeBotApi) -> None:
    await feed(app, api, updates.message("What does Russia demand?"))
    first = api.sent(1001)[0]
    more = next(b for b in _buttons(first.result["reply_markup"]) if b["text"].startswith("More"))
    await feed(app, api, updates.callback(more["callback_data"], first.result))
    assert parse_html(api.sent(1001)[1].params["text"]).plain.startswith("4.")
    (edit,) = api.requests("editMessageReplyMarkup", ok=True)
    left = [b["text"] for b in _buttons(edit.params["reply_markup"])]
    assert "Source 1" in left and "👍" in left and not any(t.startswith("More") for t in left)
    # a later press of the same button, while it still shows, adds nothing
    await feed(app, api, updates.callback(more["callback_data"], first.result))
    assert len(api.sent(1001)) == 2


async def test_a_bare_ask_in_reply_to_a_members_question_answers_it(
    app: Application, api: FakeBotApi
) -> None:
    asked = updates.message("What came out of the Istanbul talks?", chat_id=-5, user_id=7)
    await feed(app, api, asked)
    assert api.sent(-5) == []  # chatter: not for the bot
    await feed(app, api, updates.message("/ask", chat_id=-5, reply_to=asked["message"]))
    (reply,) = api.sent(-5)
    shown = parse_html(reply.params["text"]).plain
    assert shown.startswith("1.") and "Istanbul" in shown  # its answer, not the help


@pytest.mark.parametrize(
    ("update", "code", "expected"),
    [
        (updates.message("/foo"), "ru", "Я не знаю такой команды"),
        (updates.media("sticker"), "uk", "Я розумію лише слова"),
    ],
)
async def test_one_line_of_help_speaks_the_senders_app_language(
    app, api: FakeBotApi, update, code: str, expected: str
) -> None:
    await feed(app, api, updates.speaking(update, code))
    (reply,) = api.sent(1001)
    assert parse_html(reply.params["text"]).plain.startswith(expected)


async def test_sources_and_their_page_buttons_speak_the_readers_language(
    app: Application, api: FakeBotApi
) -> None:
    await feed(app, api, updates.speaking(updates.message("/sources"), "uk"))
    sent = api.sent(1001)[0]
    assert parse_html(sent.params["text"]).plain.startswith("Джерела в індексі (4), сторінка 1 з 1")
    page = keyboards.encode("l", number=0)
    previous = {"inline_keyboard": [[{"text": "◂ Назад", "callback_data": page}]]}
    pressed = updates.callback(page, {**sent.result, "reply_markup": previous})
    await feed(app, api, updates.speaking(pressed, "ru"))  # another reader pressed it
    (edit,) = api.requests("editMessageText", ok=True)
    assert parse_html(edit.params["text"]).plain.startswith("Источники в индексе (4)")

"""Private and group chats, end to end: the real bot over HTTP against the fake Bot API."""

from __future__ import annotations

import pytest
from telegram.constants import MessageLimit

from bot import chat, texts
from bot.config import Config
from bot.loaded import Loaded
from bot.state import BotState
from bot.stats import QuestionLog
from knowledge import Knowledge
from tests.e2e.conftest import Running, started
from tests.helpers import updates
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_html import parse_html

GROUP = -100777


def buttons(call) -> list[dict]:
    """Every inline button of a sent message."""
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [b for row in markup["inline_keyboard"] for b in row]


def plain(call) -> str:
    """What the user sees."""
    return parse_html(call.params["text"]).plain


def excerpt_of(call, rank: int) -> str:
    """The first 40 characters of excerpt ``rank`` of an answer (which quotes its passage)."""
    block = plain(call).split("\n\n")[rank - 1]
    return block.removeprefix(f"{rank}. ").strip("…")[:40]


async def test_start_shows_example_buttons(bot: Running) -> None:
    reply = await bot.send(updates.message("/start"), chat_id=1001)
    assert "Ceasefire Talks Bot" in reply.params["text"]
    assert "What does Russia demand?" in [b["text"] for b in buttons(reply)]


async def test_start_in_a_group_says_how_to_ask_there(bot: Running) -> None:
    reply = await bot.send(updates.message("/start", chat_id=GROUP), chat_id=GROUP)
    assert "write /ask and your question, mention @CeasefireTestBot" in plain(reply)
    private = await bot.send(updates.message("/start"), chat_id=1001)
    assert "In this group" not in plain(private)


@pytest.mark.parametrize(
    ("code", "welcome", "example"),
    [
        ("uk", "Запитайте мене", "Чого вимагає Росія?"),
        ("ru", "Спросите меня", "Чего требует Россия?"),
    ],
)
async def test_start_and_help_speak_the_users_language(
    bot: Running, code: str, welcome: str, example: str
) -> None:
    start = updates.message("/start")
    start["message"]["from"]["language_code"] = code
    reply = await bot.send(start, chat_id=1001)
    assert plain(reply).startswith(f"Ceasefire Talks Bot\n\n{welcome}")
    offered = buttons(reply)[0]
    assert offered["text"] == example
    answer = await bot.send(updates.callback(offered["callback_data"], reply.result), 1001)
    assert plain(answer).startswith(f"↪ {example}\n")
    helping = updates.message("/help")
    helping["message"]["from"]["language_code"] = code
    assert example in plain(await bot.send(helping, chat_id=1001))


async def test_example_button_answers_it(bot: Running) -> None:
    start = await bot.send(updates.message("/start"), chat_id=1001)
    example = buttons(start)[0]
    reply = await bot.send(updates.callback(example["callback_data"], start.result), chat_id=1001)
    assert plain(reply).startswith(f"↪ {example['text']}\n\n1.")  # says what it answers
    assert bot.api.requests("answerCallbackQuery", ok=True)


async def test_a_refusals_suggestions_are_buttons_that_ask_them(bot: Running) -> None:
    refusal = await bot.send(updates.message("best pizza in naples?"), chat_id=1001)
    offered = [b for b in buttons(refusal) if b["callback_data"].startswith("e:")]
    assert [b["text"] for b in offered][:1] == ["What does Russia demand?"]
    reply = await bot.send(updates.callback(offered[0]["callback_data"], refusal.result), 1001)
    assert plain(reply).startswith("↪ What does Russia demand?\n\n1.")
    ukrainian = await bot.send(updates.message("Де найкраща піца в Неаполі?"), chat_id=1001)
    first = next(b for b in buttons(ukrainian) if b["callback_data"].startswith("e:"))
    asked = await bot.send(updates.callback(first["callback_data"], ukrainian.result), 1001)
    assert (
        plain(asked).startswith(f"↪ {first['text']}")
        and first["text"] != "What does Russia demand?"
    )


async def test_help_lists_examples_and_usage(bot: Running) -> None:
    reply = await bot.send(updates.message("/help"), chat_id=1001)
    text = plain(reply)
    assert "/ask" in text and "@CeasefireTestBot" in text and "What does Russia demand?" in text


async def test_question_answered_with_bold_terms_and_citation(bot: Running) -> None:
    reply = await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    html = reply.params["text"]
    assert html.startswith("<b>1.</b>")
    assert "<b>mediat" in html.lower()
    titles = {s.title for s in bot.state.knowledge.sources}
    cited = [t for t in titles if t in plain(reply)]
    assert cited, "no source title cited"
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    assert reply.params["parse_mode"] == "HTML"
    assert {"Source 1", "Source 2"} <= {b["text"] for b in buttons(reply)}


async def test_typing_shown_only_while_a_slow_answer_is_found(
    bot: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat, "TYPING_AFTER_S", 60.0)  # any answer is ready before this
    await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    assert not bot.api.requests("sendChatAction")  # no rate-limit budget spent on "typing…"
    ask = Knowledge.ask

    def slow_ask(self, *args, **kwargs):
        # a worker thread: the answer waits until the event loop has sent "typing…"
        bot.api.wait_for(lambda: bot.api.requests("sendChatAction"))
        return ask(self, *args, **kwargs)

    monkeypatch.setattr(Knowledge, "ask", slow_ask)
    monkeypatch.setattr(chat, "TYPING_AFTER_S", 0.01)
    reply = await bot.send(updates.message("Who mediates the talks?"), chat_id=1001)
    typing = bot.api.requests("sendChatAction", ok=True)
    assert [(c.params["action"], int(c.params["chat_id"])) for c in typing] == [("typing", 1001)]
    calls = [id(c) for c in bot.api.calls]
    assert calls.index(id(typing[0])) < calls.index(id(reply))  # shown before the answer


async def test_out_of_scope_question_gets_honest_no(bot: Running) -> None:
    reply = await bot.send(updates.message("What is the best pizza in Naples?"), chat_id=1001)
    assert "no sourced answer" in plain(reply)
    shown = [b["text"] for b in buttons(reply)]
    assert shown[-2:] == ["👍", "👎"]  # it can be judged
    assert not any(t.startswith(("Source", "More")) for t in shown)  # and has nothing to open


async def test_a_ukrainian_out_of_scope_question_gets_its_no_in_ukrainian(bot: Running) -> None:
    reply = plain(await bot.send(updates.message("Де найкраща піца в Неаполі?"), chat_id=1001))
    assert "Я не знайшов відповіді з джерелом" in reply
    assert "Чого вимагає Росія?" in reply and "What does Russia demand?" not in reply


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</b> & <script>alert(1)</script> Minsk",
        "Minsk " + "<&>" * ((MessageLimit.MAX_TEXT_LENGTH - 6) // 3),
        "😀🕊️🇺🇦",
        "مينسك \u200b\u200d\u202e talks?",
    ],
)
async def test_hostile_input_gets_a_valid_reply(bot: Running, text: str) -> None:
    assert len(text) <= MessageLimit.MAX_TEXT_LENGTH
    reply = await bot.send(updates.message(text), chat_id=1001)
    assert plain(reply)  # the fake server accepted it: valid HTML within limits
    assert not bot.api.requests("sendMessage", ok=False)


async def test_group_ask_and_mentions_answered_chatter_ignored(bot: Running) -> None:
    asked = [
        "/ask what happened in Istanbul?",
        "/ask@CeasefireTestBot what happened in Istanbul?",
        "@CeasefireTestBot what happened in Istanbul?",
    ]
    for text in asked:
        reply = await bot.send(updates.message(text, chat_id=GROUP), chat_id=GROUP)
        assert plain(reply).startswith("1.") and "Istanbul" in plain(reply)
    bot_msg = updates.bot_message("earlier answer", GROUP, 1)
    reply = await bot.send(
        updates.message("and Minsk?", chat_id=GROUP, reply_to=bot_msg), chat_id=GROUP
    )
    assert plain(reply).startswith("1.") and "Minsk" in plain(reply)
    before = len(bot.api.sent(GROUP))
    bot.api.push(updates.message("lunch at noon? Istanbul kebab", chat_id=GROUP))
    # the chatter arrived first and its handling awaits no network: once a later question
    # is answered, the chatter has been handled (and ignored)
    reply = await bot.send(updates.message("/ask what about Minsk?", chat_id=GROUP), GROUP)
    assert "Minsk" in plain(reply) and len(bot.api.sent(GROUP)) == before + 1


async def test_empty_ask_explains_how(bot: Running) -> None:
    reply = await bot.send(updates.message("/ask", chat_id=GROUP), chat_id=GROUP)
    assert "How to ask" in plain(reply)


async def test_more_and_source_buttons(bot: Running) -> None:
    first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    more = next(b for b in buttons(first) if b["text"].startswith("More"))
    second = await bot.send(updates.callback(more["callback_data"], first.result), chat_id=1001)
    assert plain(second).startswith("4.")
    source = next(b for b in buttons(first) if b["text"] == "Source 1")
    full = await bot.send(updates.callback(source["callback_data"], first.result), chat_id=1001)
    assert excerpt_of(first, 1) in plain(full)
    # a Source press is answered once its post is out
    await bot.wait_for(lambda: len(bot.api.requests("answerCallbackQuery", ok=True)) == 2)


async def test_buttons_and_follow_ups_work_after_a_restart_on_the_same_storage(
    config: Config, api: FakeBotApi, logs, shipped: Loaded
) -> None:
    def fresh_state() -> BotState:  # what a new bot process builds from storage.dir
        return BotState(config, shipped, QuestionLog(config.storage.dir / "questions.sqlite3"))

    async with started(config, fresh_state(), api) as before:
        first = await before.send(updates.message("What does Russia demand?"), chat_id=1001)
    async with started(config, fresh_state(), api) as after:
        more = next(b for b in buttons(first) if b["text"].startswith("More"))
        second = await after.send(updates.callback(more["callback_data"], first.result), 1001)
        assert plain(second).startswith("4.")
        source = next(b for b in buttons(first) if b["text"] == "Source 2")
        full = await after.send(updates.callback(source["callback_data"], first.result), 1001)
        assert excerpt_of(first, 2) in plain(full)
        follow = await after.send(updates.message("and Ukraine?", reply_to=first.result), 1001)
        assert plain(follow).startswith("↪ What does Ukraine demand?")


async def test_more_on_an_answer_deleted_meanwhile_still_brings_the_next_page(bot: Running):
    first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    bot.api.delete(1001, first.result["message_id"])
    more = next(b for b in buttons(first) if b["text"].startswith("More"))
    second = await bot.send(updates.callback(more["callback_data"], first.result), chat_id=1001)
    assert plain(second).startswith("4.")


async def test_a_second_tap_on_more_before_the_button_went_says_where_the_results_are(
    bot: Running,
) -> None:
    first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    more = next(b for b in buttons(first) if b["text"].startswith("More"))
    await bot.send(updates.callback(more["callback_data"], first.result), chat_id=1001)
    [edit] = bot.api.requests("editMessageReplyMarkup", ok=True)
    now = {**first.result, "reply_markup": edit.params["reply_markup"]}  # "More" is gone
    bot.api.push(updates.callback(more["callback_data"], now))
    answers = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[1:])
    assert answers[0].params["text"] == texts.MORE_SHOWN and "show_alert" not in answers[0].params
    assert len(bot.api.sent(1001)) == 2


async def test_a_stale_more_button_does_not_send_the_same_page_again(bot: Running) -> None:
    first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    more = next(b for b in buttons(first) if b["text"].startswith("More"))
    await bot.send(updates.callback(more["callback_data"], first.result), chat_id=1001)
    bot.api.push(updates.callback(more["callback_data"], first.result))  # the button still shown
    answers = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[1:])
    assert answers[0].params["text"] == texts.MORE_SHOWN
    assert len(bot.api.sent(1001)) == 2


async def test_an_expired_button_gets_a_polite_answer(bot: Running, monkeypatch) -> None:
    first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    monkeypatch.setattr(bot.state.answers, "ttl_s", -1.0)  # every answer is past its expiry
    more = next(b for b in buttons(first) if b["text"].startswith("More"))
    bot.api.push(updates.callback(more["callback_data"], first.result))
    [alert] = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery"))
    assert alert.params["text"] == texts.EXPIRED and alert.params["show_alert"] == "true"
    assert len(bot.api.sent(1001)) == 1


@pytest.mark.parametrize("data", ["s:0123456789abcdef:0", "m:0123456789abcdef", "x" * 64, "e:99"])
async def test_forged_or_stale_callback_is_answered_politely(bot: Running, data: str) -> None:
    sent = updates.bot_message("an old answer", 1001, 77)
    bot.api.push(updates.callback(data, sent))
    answers = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery"))
    assert answers[0].ok
    assert answers[0].params["show_alert"] == "true"  # form-encoded JSON boolean
    assert answers[0].params["text"]
    assert not bot.api.sent(1001)


@pytest.mark.parametrize("data", ["m:0123456789ab:3", "s:0123456789abcdef", f"s:{'0' * 16}:1"])
async def test_a_button_of_an_older_answer_says_it_expired(bot: Running, data: str) -> None:
    markup = {"inline_keyboard": [[{"text": "More results ▸", "callback_data": data}]]}
    sent = {**updates.bot_message("an answer from before", 1001, 77), "reply_markup": markup}
    bot.api.push(updates.callback(data, sent))
    [alert] = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery"))
    assert alert.params["text"] == texts.EXPIRED and alert.params["show_alert"] == "true"
    assert not bot.api.sent(1001)


async def test_sources_lists_titles(bot: Running) -> None:
    reply = await bot.send(updates.message("/sources"), chat_id=1001)
    for source in bot.state.knowledge.sources:
        assert source.title[:30] in plain(reply)

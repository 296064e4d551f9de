"""Follow-ups by reply, end to end: the real bot polling the fake Bot API, the shipped seeds."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.e2e.conftest import Running
from tests.helpers import updates
from tests.helpers.fake_bot_api import BOT_USER
from tests.helpers.telegram_html import parse_html

GROUP = -100777


def plain(call) -> str:
    return parse_html(call.params["text"]).plain


def blocks(call) -> list[str]:
    """The numbered excerpt blocks of an answer."""
    return [b for b in plain(call).split("\n\n") if b[:1].isdigit()]


async def test_a_reply_in_a_private_chat_keeps_the_topic(bot: Running) -> None:
    first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    assert not plain(first).startswith("↪")
    reply = updates.message("and Ukraine?", reply_to=first.result)
    second = await bot.send(reply, chat_id=1001)
    assert plain(second).startswith("↪ What does Ukraine demand?\n\n1.")
    assert "Ukrain" in blocks(second)[0]
    assert blocks(second) != blocks(first)
    third = await bot.send(updates.message("а Туреччина?", reply_to=second.result), 1001)
    assert plain(third).startswith("↪ What does Turkey demand?")  # a follow-up of a follow-up
    logged = await bot.wait_for(lambda: _logged(bot) if len(_logged(bot)) == 3 else None)
    assert logged == [
        "what does russia demand?",
        "what does ukraine demand?",
        "what does turkey demand?",
    ]


def _logged(bot: Running) -> list[str]:
    """The questions in the log, oldest first: follow-ups as the question they asked."""
    with closing(sqlite3.connect(bot.state.log.path)) as db:
        return [q for (q,) in db.execute("SELECT question FROM questions ORDER BY rowid")]


async def test_a_reply_in_a_group_needs_no_mention(bot: Running) -> None:
    first = await bot.send(
        updates.message("/ask What does Russia demand?", chat_id=GROUP), chat_id=GROUP
    )
    reply = updates.message(
        "what about Ukraine?", chat_id=GROUP, user_id=2002, reply_to=first.result
    )
    second = await bot.send(reply, chat_id=GROUP)
    assert plain(second).startswith("↪ What does Ukraine demand?")
    assert any("Ukrain" in b for b in blocks(second))


async def test_a_reply_to_a_structured_answer_changes_its_argument(bot: Running) -> None:
    first = await bot.send(updates.message("/demands russia"), chat_id=1001)
    assert all("Russia ·" in b for b in blocks(first))
    second = await bot.send(updates.message("and Ukraine?", reply_to=first.result), 1001)
    assert plain(second).startswith("↪ /demands ukraine")
    assert len(blocks(second)) > 3  # a structured answer's first page, not three excerpts
    assert all("Ukraine ·" in b for b in blocks(second))


async def test_a_full_question_in_reply_is_answered_as_asked(bot: Running) -> None:
    first = await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    reply = updates.message("What happened at the Istanbul talks?", reply_to=first.result)
    second = await bot.send(reply, chat_id=1001)
    assert plain(second).startswith("1.") and "Istanbul" in plain(second)


async def test_a_reply_to_another_message_is_a_plain_question(bot: Running) -> None:
    earlier = updates.bot_message("What does Russia demand?", 1001, 5)  # not an answer it kept
    second = await bot.send(updates.message("and Ukraine?", reply_to=earlier), chat_id=1001)
    assert not plain(second).startswith("↪")


async def test_a_reply_to_a_refusal_is_a_question_of_its_own(bot: Running) -> None:
    first = await bot.send(updates.message("best pizza in naples?"), chat_id=1001)
    assert "no sourced answer" in plain(first)
    second = await bot.send(updates.message("and Ukraine?", reply_to=first.result), 1001)
    assert not plain(second).startswith("↪")  # not "best pizza in naples Ukraine?"
    assert "naples" not in plain(second).lower()


async def _posted_inline(bot: Running, query: str, chat_id: int) -> dict:
    """The message a user posts in ``chat_id`` by picking the first result of ``@bot query``:
    their own message, sent "via @bot", with the result's text."""
    before = len(bot.api.requests("answerInlineQuery"))
    bot.api.push(updates.inline_query(query))
    calls = await bot.wait_for(lambda: bot.api.requests("answerInlineQuery")[before:])
    content = calls[0].params["results"][0]["input_message_content"]
    text = parse_html(content["message_text"]).plain
    return updates.message(text, chat_id, via_bot=BOT_USER)["message"]


async def test_a_reply_to_an_inline_post_is_a_follow_up(bot: Running) -> None:
    suggested = await _posted_inline(bot, "", 1001)  # "↪ What does Russia demand?", answered
    reply = updates.message("and Ukraine?", reply_to=suggested)
    assert plain(await bot.send(reply, 1001)).startswith("↪ What does Ukraine demand?\n\n1.")
    suggested = await _posted_inline(bot, "", GROUP)
    follow = updates.message("and Ukraine?", GROUP, user_id=3003, reply_to=suggested)
    assert plain(await bot.send(follow, GROUP)).startswith("↪ What does Ukraine demand?")
    excerpt = await _posted_inline(bot, "What does Russia demand?", GROUP)  # one excerpt
    assert excerpt["text"].startswith("↪ What does Russia demand?\n\n")  # under its question
    asked = updates.message("and Ukraine?", GROUP, user_id=2002, reply_to=excerpt)
    answer = plain(await bot.send(asked, GROUP))  # the topic kept, as for a normal answer
    assert answer.startswith("↪ What does Ukraine demand?\n\n1.") and "Ukrain" in answer
    bot.api.privacy = True  # Telegram then sends the bot no reply to a member's own message
    await bot.handle(updates.message("and Turkey?", GROUP, reply_to=suggested))
    assert len(bot.api.sent(GROUP)) == 2


async def test_thanks_in_reply_to_an_answer_get_no_reply_and_no_log(bot: Running) -> None:
    first = await bot.send(updates.message("/ask What does Russia demand?", chat_id=GROUP), GROUP)
    before = len(bot.api.sent(GROUP))
    for text in ("thanks!", "Дякую 👍"):
        bot.api.push(updates.message(text, chat_id=GROUP, user_id=2002, reply_to=first.result))
    bot.api.push(updates.message("спасибо большое"))  # private
    # handled in order, awaiting no network: once a later question is answered, the thanks
    # have been handled
    later = await bot.send(updates.message("/ask and Minsk?", chat_id=GROUP), GROUP)
    assert "Minsk" in plain(later) and len(bot.api.sent(GROUP)) == before + 1
    assert not bot.api.sent(1001)
    logged = await bot.wait_for(lambda: _logged(bot) if len(_logged(bot)) == 2 else None)
    assert logged == ["what does russia demand?", "and minsk?"]


async def test_greetings_get_the_help_and_emoji_replies_in_a_group_get_nothing(
    bot: Running,
) -> None:
    greetings = [("hi", "How to ask"), ("Привіт!", "Як запитати")]
    for text, head in [*greetings, ("how do I use this bot?", "How to ask")]:
        reply = await bot.send(updates.message(text), chat_id=1001)
        assert plain(reply).startswith(head), text
    first = await bot.send(updates.message("/ask What does Russia demand?", chat_id=GROUP), GROUP)
    before = len(bot.api.sent(GROUP))
    for text in ("👍", "🔥🔥"):
        bot.api.push(updates.message(text, chat_id=GROUP, user_id=2002, reply_to=first.result))
    later = await bot.send(updates.message("/ask and Minsk?", chat_id=GROUP), GROUP)
    assert "Minsk" in plain(later) and len(bot.api.sent(GROUP)) == before + 1


async def test_a_follow_up_typed_without_replying_continues_the_last_answer(
    bot: Running, monkeypatch
) -> None:
    await bot.send(updates.message("What does Russia demand?"), chat_id=1001)
    typed = await bot.send(updates.message("and Ukraine?"), chat_id=1001)
    assert plain(typed).startswith("↪ What does Ukraine demand?\n\n1.")
    keyword = await bot.send(updates.message("Istanbul"), chat_id=1001)  # no "and": as asked
    assert not plain(keyword).startswith("↪")
    monkeypatch.setattr("bot.chat.FOLLOW_UP_S", -1.0)  # the last answer is too old
    late = await bot.send(updates.message("and Turkey?"), chat_id=1001)
    assert not plain(late).startswith("↪")

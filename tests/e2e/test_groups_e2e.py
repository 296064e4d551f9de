"""Group life as Telegram delivers it: forum topics, anonymous admins, channels, privacy mode,
buttons pressed by other members, a group upgraded to a supergroup, the bot removed and back."""

from __future__ import annotations

import io

import pytest

from bot.config import FloodConfig
from bot.flood import FloodGuard
from tests.e2e.conftest import Running, plain
from tests.helpers import updates
from tests.helpers.fake_bot_api import Call
from tests.helpers.fake_bot_methods import BOT_USER

GROUP, OTHER_GROUP, FORUM, CHANNEL, OTHER_CHANNEL = -100777, -100778, -100900, -100999, -100998
BASIC, SUPERGROUP = -555, -100555
ME = "@CeasefireTestBot"
RUSSIA = "What does Russia demand?"
NOT_POSTED = "I could not post the passage in this chat. Press the button again to retry."


def button(call: Call, label: str) -> str:
    """The callback data of the button of ``call``'s message whose text starts with ``label``."""
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    rows = markup["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"].startswith(label))


async def test_a_forum_topic_gets_its_answers_buttons_and_follow_ups_in_that_topic(
    bot: Running,
) -> None:
    asked = updates.in_topic(updates.message(f"{ME} {RUSSIA}", FORUM), 42)
    first = await bot.send(asked, FORUM)
    assert plain(first).startswith("1.") and first.result["message_thread_id"] == 42
    more = updates.callback(button(first, "More"), first.result, user_id=2002)
    second = await bot.send(more, FORUM)
    assert plain(second).startswith("4.") and second.result["message_thread_id"] == 42
    source = await bot.send(updates.callback(button(first, "Source 1"), first.result), FORUM)
    assert source.result["message_thread_id"] == 42
    reply = updates.in_topic(updates.message("and Ukraine?", FORUM, reply_to=first.result), 42)
    follow = await bot.send(reply, FORUM)
    assert plain(follow).startswith("↪ What does Ukraine demand?")
    assert follow.result["message_thread_id"] == 42
    # a bare /ask replies to nothing but the topic's opening service message: it asks nothing
    bare = await bot.send(updates.in_topic(updates.message("/ask", FORUM), 42), FORUM)
    assert "How to ask" in plain(bare) and bare.result["message_thread_id"] == 42
    photo = updates.media("photo", FORUM, caption=f"{ME} what came out of Istanbul?")
    captioned = await bot.send(updates.in_topic(photo, 7), FORUM)
    assert plain(captioned).startswith("1.") and captioned.result["message_thread_id"] == 7
    general = await bot.send(updates.in_general(updates.message("/ask minsk 2015", FORUM)), FORUM)
    assert plain(general).startswith("1.") and "message_thread_id" not in general.result


async def test_a_photo_captioned_with_ask_is_answered_as_an_ask_message_is(bot: Running) -> None:
    for caption in ("/ask@OtherBot what came out of Istanbul?", "our trip to Istanbul"):
        await bot.handle(updates.media("photo", GROUP, caption=caption))
    assert bot.api.sent(GROUP) == []
    for caption in ("/ask what came out of Istanbul?", "/ask@CeasefireTestBot Istanbul talks"):
        reply = await bot.send(updates.media("photo", GROUP, caption=caption), GROUP)
        assert plain(reply).startswith("1.") and "Istanbul" in plain(reply)


async def test_anonymous_admins_and_channels_have_a_flood_limit_per_group_and_channel(
    bot: Running,
) -> None:
    # Telegram sends every group's anonymous admins as one user (GroupAnonymousBot) and every
    # channel speaking in a group as another (Channel_Bot): one sender each, per group or channel
    limits = FloodConfig(per_user_per_minute=2, per_group_per_minute=50)
    bot.state.flood = FloodGuard(limits, clock=lambda: 0.0)  # the notice's wait: a whole minute
    senders = [
        (GROUP, updates.anonymously),
        (OTHER_GROUP, updates.anonymously),
        (GROUP, lambda u: updates.as_channel(u, CHANNEL)),
        (GROUP, lambda u: updates.as_channel(u, OTHER_CHANNEL)),
    ]
    for chat, sender in senders:
        for _ in range(2):
            reply = await bot.send(sender(updates.message("/ask minsk 2015", chat)), chat)
            assert plain(reply).startswith("1."), plain(reply)
    notice = await bot.send(updates.anonymously(updates.message("/ask minsk", GROUP)), GROUP)
    assert plain(notice) == (  # worded for them, not "You've asked" (no one person asked)
        "This group's anonymous admins are asking too fast: 2 questions in the last minute, my "
        "limit per sender. I'll answer them again in 60 seconds; questions sent before then are "
        "not answered."
    )
    as_channel = updates.as_channel(updates.message("/ask minsk", GROUP), OTHER_CHANNEL)
    assert plain(await bot.send(as_channel, GROUP)).startswith(
        "This channel is asking too fast: 2 questions in the last minute, my limit per sender."
    )
    member = await bot.send(updates.message("/ask minsk 2015", GROUP, user_id=2002), GROUP)
    assert plain(member).startswith("1.")


async def test_an_anonymous_admin_is_told_why_admin_commands_are_refused(bot: Running) -> None:
    for command in ("/reload", "/add https://example.org/a", "/remove Istanbul"):
        reply = await bot.send(updates.anonymously(updates.message(command, GROUP)), GROUP)
        assert plain(reply) == (
            "Sorry, only the bot's admins can do that, and I cannot tell who you are while you "
            "post anonymously or as a channel: send it to me in a private chat."
        )
    as_channel = updates.as_channel(updates.message("/reload", GROUP), CHANNEL)
    assert "as a channel" in plain(await bot.send(as_channel, GROUP))
    member = await bot.send(updates.message("/reload", GROUP, user_id=2002), GROUP)
    assert plain(member) == "Sorry, only the bot's admins can do that."


@pytest.mark.parametrize(
    "sender", [updates.anonymously, lambda u: updates.as_channel(u, CHANNEL)], ids=["admin", "ch"]
)
async def test_a_bare_ask_in_reply_to_an_anonymous_or_channel_question_asks_it(
    bot: Running, sender
) -> None:
    question = sender(updates.message(RUSSIA, GROUP))
    await bot.handle(question)  # chatter: not for the bot
    ask = updates.message("/ask", GROUP, user_id=2002, reply_to=question["message"])
    reply = await bot.send(ask, GROUP)
    assert plain(reply).startswith("1.") and "Russia" in plain(reply)


async def test_a_channel_post_forwarded_into_its_discussion_group_is_not_answered(
    bot: Running,
) -> None:
    posts = [f"Questions on the talks? Ask {ME} in the comments", f"/ask {RUSSIA}"]
    for text in posts:
        await bot.handle(updates.automatic_forward(text, GROUP, CHANNEL))
    assert bot.api.sent(GROUP) == []
    forwarded = updates.automatic_forward(posts[0], GROUP, CHANNEL)["message"]
    comment = updates.message(f"{ME} {RUSSIA}", GROUP, user_id=2002, reply_to=forwarded)
    assert plain(await bot.send(comment, GROUP)).startswith("1.")  # a comment asking it is


async def test_posts_in_a_channel_the_bot_administers_get_no_reply_but_its_follow_commands(
    bot: Running, logs: io.StringIO
) -> None:
    for update in (
        updates.channel_post(f"/ask {RUSSIA}", CHANNEL),
        updates.channel_post(f"{ME} {RUSSIA}", CHANNEL),
        updates.channel_post("/start", CHANNEL),
        updates.channel_post("/help", CHANNEL),
        updates.channel_post("/reload", CHANNEL),
        updates.channel_post("/add https://example.org/a", CHANNEL),
        updates.channel_post("https://example.org/a", CHANNEL),
        updates.channel_post(f"/ask {RUSSIA}", CHANNEL, edited=True),
        updates.channel_post("/follow Istanbul", CHANNEL, edited=True),
        updates.automatic_forward("/follow Istanbul", GROUP, CHANNEL),  # the channel's post
    ):
        await bot.handle(update)
    assert bot.api.sent(CHANNEL) == [] and bot.api.sent(GROUP) == []
    assert not bot.api.requests("sendChatAction")
    following = await bot.send(updates.channel_post("/following", CHANNEL), CHANNEL)
    assert plain(following) == "You follow no topic. Try /follow Istanbul talks."
    assert "ERROR" not in logs.getvalue()


@pytest.mark.parametrize("privacy", [True, False], ids=["privacy-on", "privacy-off"])
async def test_members_get_the_same_replies_with_privacy_mode_on_or_off(
    bot: Running, privacy: bool
) -> None:
    bot.api.privacy = privacy
    question = updates.message(RUSSIA, GROUP, user_id=2002)
    another_bot = updates.message(f"{ME} {RUSSIA}", GROUP, user_id=5555)
    another_bot["message"]["from"]["is_bot"] = True
    for update in (
        question,  # a member asks the group, not the bot
        updates.message(f"/ask@OtherBot {RUSSIA}", GROUP),
        updates.message("I think they want Crimea", GROUP, reply_to=question["message"]),
        another_bot,  # bots never see each other's messages
    ):
        await bot.handle(update)
    assert len(bot.api.hidden) == (4 if privacy else 1)  # what Telegram does not even send
    assert bot.api.sent(GROUP) == []
    middle = updates.message("So what does @ceasefiretestbot say Russia demands?", GROUP)
    assert plain(await bot.send(middle, GROUP)).startswith("1.")
    asked = await bot.send(updates.message(f"/ask@CeasefireTestBot {RUSSIA}", GROUP), GROUP)
    assert plain(asked).startswith("1.")
    upper = await bot.send(updates.message(f"/ASK@ceasefiretestbot {RUSSIA}", GROUP), GROUP)
    assert plain(upper) == plain(asked)
    follow = updates.message("and Ukraine?", GROUP, user_id=3003, reply_to=asked.result)
    assert plain(await bot.send(follow, GROUP)).startswith("↪ What does Ukraine demand?")
    summoned = updates.message(ME, GROUP, user_id=3003, reply_to=question["message"])
    assert plain(await bot.send(summoned, GROUP)) == plain(asked)  # the member's question


async def test_a_source_pressed_by_several_members_is_posted_once(bot: Running) -> None:
    first = await bot.send(updates.message(f"/ask {RUSSIA}", GROUP), GROUP)
    source = button(first, "Source 1")
    await bot.handle(updates.callback(source, first.result, user_id=2002))  # and answered
    shown = bot.api.sent(GROUP)[-1]
    assert plain(shown)
    await bot.handle(updates.callback(source, first.result, user_id=3003))
    assert len(bot.api.sent(GROUP)) == 2
    alert = bot.api.requests("answerCallbackQuery")[-1]
    assert alert.params["text"] == "The full passage is already above."
    for user in (2002, 3003):  # each member's vote is their own
        await bot.handle(updates.callback(button(first, "👍"), first.result, user_id=user))
    assert [c.params.get("text") for c in bot.api.requests("answerCallbackQuery")[-2:]] == [
        "Thanks for the feedback!"
    ] * 2
    second = await bot.send(updates.callback(button(first, "Source 2"), first.result), GROUP)
    assert plain(second) != plain(shown)
    private = await bot.send(updates.message(RUSSIA), 1001)  # in a private chat, as often
    for _ in range(2):
        await bot.handle(updates.callback(button(private, "Source 1"), private.result))
    assert len(bot.api.sent(1001)) == 3


@pytest.mark.parametrize("refusal", ["rejected", "topic closed"])
async def test_a_source_telegram_refused_to_post_is_posted_at_the_next_press(
    bot: Running, logs: io.StringIO, refusal: str
) -> None:
    chat = FORUM if refusal == "topic closed" else GROUP
    asked = updates.message(f"/ask {RUSSIA}", chat)
    first = await bot.send(updates.in_topic(asked, 42) if chat == FORUM else asked, chat)
    source = button(first, "Source 1")
    if refusal == "topic closed":
        bot.api.closed_topics.add((FORUM, 42))
    else:
        bot.api.fail_next("sendMessage", times=1, status=400)
    await bot.handle(updates.callback(source, first.result, user_id=2002))
    assert len(bot.api.sent(chat)) == 1  # nothing posted
    alert = bot.api.requests("answerCallbackQuery")[-1].params
    assert alert["text"] == NOT_POSTED and alert["show_alert"] == "true"
    bot.api.closed_topics.clear()  # the topic reopened
    await bot.handle(updates.callback(source, first.result, user_id=3003))
    shown = bot.api.sent(chat)[-1]
    assert plain(first).split("\n")[0][3:40] in plain(shown)
    assert "text" not in bot.api.requests("answerCallbackQuery")[-1].params
    await bot.handle(updates.callback(source, first.result, user_id=2002))
    assert len(bot.api.sent(chat)) == 2  # posted once, then "already above"
    assert bot.api.requests("answerCallbackQuery")[-1].params["text"] == (
        "The full passage is already above."
    )
    assert "ERROR" not in logs.getvalue() and "source not posted" in logs.getvalue()


async def test_a_very_long_group_question_gets_an_answer_telegram_accepts(bot: Running) -> None:
    long = f"{ME} " + "What does Russia demand from Ukraine in the ceasefire talks? " * 64
    assert 3900 < len(long) <= 4096
    reply = await bot.send(updates.message(long, GROUP), GROUP)
    assert plain(reply).startswith("1.")
    follow = updates.message("and Turkey? " * 340, GROUP, reply_to=reply.result)
    assert plain(await bot.send(follow, GROUP))
    assert not bot.api.requests("sendMessage", ok=False)


async def test_the_bot_removed_and_added_back_says_how_to_ask_and_starts_afresh(
    bot: Running, logs
) -> None:
    await bot.send(updates.message("/follow Istanbul talks", GROUP), GROUP)
    bot.api.kicked.add(GROUP)
    await bot.handle(updates.bot_status(GROUP, "kicked"))
    await bot.handle(updates.message(f"/ask {RUSSIA}", GROUP))  # sent before the removal
    bot.api.kicked.discard(GROUP)
    await bot.handle(updates.bot_status(GROUP, "member"))
    welcome = await bot.send(updates.joined(GROUP, BOT_USER), GROUP)  # "Alice added the bot"
    assert "In this group, write /ask and your question, mention @CeasefireTestBot" in plain(
        welcome
    )
    await bot.handle(updates.joined(GROUP, updates.user(2002, "Bob")))  # no welcome for Bob
    assert len(bot.api.sent(GROUP)) == 2
    created = in_basic_group(updates.message("/x", BASIC))  # a new group made with the bot in it
    del created["message"]["text"], created["message"]["entities"]
    created["message"]["group_chat_created"] = True
    assert "In this group" in plain(await bot.send(created, BASIC))
    following = await bot.send(updates.message("/following", GROUP), GROUP)
    assert plain(following) == "You follow no topic. Try /follow Istanbul talks."
    assert plain(await bot.send(updates.message(f"/ask {RUSSIA}", GROUP), GROUP)).startswith("1.")
    assert "ERROR" not in logs.getvalue()


def in_basic_group(update: dict) -> dict:
    """``update`` in the basic group ``BASIC`` (not yet a supergroup)."""
    update["message"]["chat"] = {"id": BASIC, "type": "group", "title": "Peace talks watchers"}
    return update


async def test_buttons_pressed_after_the_group_became_a_supergroup_answer_there(
    bot: Running, logs
) -> None:
    first = await bot.send(in_basic_group(updates.message(f"/ask {RUSSIA}", BASIC)), BASIC)
    bot.api.migrated[BASIC] = SUPERGROUP
    await bot.handle(updates.migrated(BASIC, SUPERGROUP))
    more = updates.callback(button(first, "More"), first.result, user_id=2002)
    second = await bot.send(more, SUPERGROUP)
    assert plain(second).startswith("4.")
    source = await bot.send(updates.callback(button(first, "Source 1"), first.result), SUPERGROUP)
    assert plain(first).split("\n")[0][3:40] in plain(source)
    third = await bot.send(updates.callback(button(second, "More"), second.result), SUPERGROUP)
    assert plain(third).startswith("7.")
    reply = updates.message("and Ukraine?", SUPERGROUP, reply_to=second.result)
    assert plain(await bot.send(reply, SUPERGROUP)).startswith("↪ What does Ukraine demand?")
    await bot.handle(updates.callback(button(first, "👎"), first.result))  # recorded, no error
    assert bot.api.requests("answerCallbackQuery")[-1].params["text"] == "Thanks for the feedback!"
    await bot.handle(in_basic_group(updates.message("/following", BASIC)))  # a warning: it moved
    # a question sent in the old group just before the upgrade is answered in the new one
    late = await bot.send(in_basic_group(updates.message("/ask minsk 2015", BASIC)), SUPERGROUP)
    assert plain(late).startswith("1.")
    assert "ERROR" not in logs.getvalue()


async def test_a_question_in_a_closed_forum_topic_costs_one_warning_and_no_second_send(
    bot: Running, logs: io.StringIO
) -> None:
    bot.api.closed_topics.add((FORUM, 42))
    await bot.handle(updates.in_topic(updates.message(f"{ME} {RUSSIA}", FORUM), 42))
    assert bot.api.sent(FORUM) == []
    refused = bot.api.requests("sendMessage", ok=False)
    assert len(refused) == 1  # the answer; not a "something went wrong" after it
    levels = [line.split()[2] for line in logs.getvalue().splitlines() if line[:2] == "20"]
    assert "ERROR" not in levels and "no reply: Topic_closed" in logs.getvalue()

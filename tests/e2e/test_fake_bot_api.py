"""The fake Bot API itself, driven by a real PTB ``Bot``: it accepts what Telegram accepts."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter

from tests.helpers import updates
from tests.helpers.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers.telegram_html import HtmlError, parse_html


@pytest.fixture
def api():
    with FakeBotApi(inline_timeout=1.0) as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi):
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


# --- the HTML validator --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "<b>bold</b> &amp; <i>it</i> &lt;tag&gt; &quot;q&quot; &#128512; &#x1F600;",
        '<a href="https://example.org/?a=1&amp;b=2">link</a>',
        '<b>a <i>nested <u>deep</u></i></b> <span class="tg-spoiler">s</span>',
        '<blockquote expandable>quote</blockquote><pre><code class="language-py">x</code></pre>',
        "a > b",
    ],
)
def test_valid_html(text: str) -> None:
    parse_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "<script>x</script>",
        "<b>unclosed",
        "<b><i>misnested</b></i>",
        "a < b",
        "AT&T",
        "&nbsp;",
        "</b>",
        "<a>no href</a>",
        '<span class="red">x</span>',
        '<a href="x"><a href="y">nested</a></a>',
        "<b onclick='x'>x</b>",
    ],
)
def test_invalid_html(text: str) -> None:
    with pytest.raises(HtmlError):
        parse_html(text)


def test_plain_text_and_length() -> None:
    parsed = parse_html("<b>a&amp;b</b> 😀")
    assert parsed.plain == "a&b 😀"
    assert parsed.length == 6  # the emoji is two UTF-16 code units


# --- over HTTP with PTB ---------------------------------------------------------------------


async def test_get_me_and_send_message(api: FakeBotApi, bot: Bot) -> None:
    assert bot.username == "CeasefireTestBot"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="m:1")]])
    sent = await bot.send_message(
        5, "<b>hi</b> &amp; bye", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    assert sent.text == "hi & bye"
    call = api.sent(5)[-1]
    assert call.params["text"] == "<b>hi</b> &amp; bye"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "m:1"


@pytest.mark.parametrize("text", ["<b>x</b> & <script>", "a" * (MessageLimit.MAX_TEXT_LENGTH + 1)])
async def test_rejects_what_telegram_rejects(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(5, text, parse_mode=ParseMode.HTML)


async def test_length_counts_text_after_entities(bot: Bot) -> None:
    text = "<b>" + "a" * MessageLimit.MAX_TEXT_LENGTH + "</b>"
    await bot.send_message(5, text, parse_mode=ParseMode.HTML)


async def test_rejects_long_callback_data(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(5, "x", reply_markup=markup)


@pytest.mark.parametrize(("rows", "error"), [([9], "in a row"), ([8] * 13, "too long")])
async def test_rejects_keyboards_too_large(bot: Bot, rows: list[int], error: str) -> None:
    buttons = [
        [InlineKeyboardButton(f"{r}.{i}", callback_data="x") for i in range(n)]
        for r, n in enumerate(rows)
    ]
    with pytest.raises(BadRequest, match=error):
        await bot.send_message(5, "x", reply_markup=InlineKeyboardMarkup(buttons))


async def test_edit_not_modified(bot: Bot) -> None:
    sent = await bot.send_message(5, "one")
    await bot.edit_message_text("two", chat_id=5, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("two", chat_id=5, message_id=sent.message_id)


def _article(i: int, text: str = "x") -> InlineQueryResultArticle:
    content = InputTextMessageContent(text, parse_mode=ParseMode.HTML)
    return InlineQueryResultArticle(str(i), f"t{i}", content)


async def test_inline_answer_once_and_in_time(api: FakeBotApi, bot: Bot) -> None:
    first = api.push(updates.inline_query("minsk"))["inline_query"]["id"]
    await bot.answer_inline_query(first, [_article(1)])
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(first, [_article(1)])
    api.inline_timeout = 0.0  # the next query's deadline has passed by the time it is answered
    late = api.push(updates.inline_query("minsk"))["inline_query"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(late, [_article(1)])


@pytest.mark.parametrize(
    ("results", "error"),
    [
        ([_article(i) for i in range(51)], "(?i)results_too_much"),
        ([_article(1), _article(1)], "(?i)result_id_duplicate"),
        ([InlineQueryResultArticle("x" * 65, "t", InputTextMessageContent("x"))], "(?i)result_id"),
        ([_article(1, "<b>broken")], "(?i)can't parse entities"),
    ],
)
async def test_inline_rejections(api: FakeBotApi, bot: Bot, results: list, error: str) -> None:
    query = api.push(updates.inline_query("q"))["inline_query"]["id"]
    with pytest.raises(BadRequest, match=error):
        await bot.answer_inline_query(query, results)


async def test_get_updates_serves_and_confirms(api: FakeBotApi, bot: Bot) -> None:
    api.push(updates.message("hello"))
    got = await bot.get_updates(timeout=0)
    assert [u.message.text for u in got] == ["hello"]
    assert await bot.get_updates(offset=got[-1].update_id + 1, timeout=0) == ()


async def test_long_poll_is_brief(api: FakeBotApi, bot: Bot) -> None:
    # the fake answers an empty long poll at once instead of holding it for 30 s
    assert await asyncio.wait_for(bot.get_updates(timeout=30), timeout=10) == ()


async def test_fault_injection(api: FakeBotApi, bot: Bot) -> None:
    api.fail_next("sendMessage", times=1, status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(5, "x")
    assert caught.value.retry_after.total_seconds() == 3
    with pytest.raises(RetryAfter):  # too early: that chat's flood wait is not over
        await bot.send_message(5, "x")
    api.fail_next("sendMessage", times=2, status=502)
    for _ in range(2):
        with pytest.raises(NetworkError) as failed:
            await bot.send_message(6, "x")
        assert not isinstance(failed.value, BadRequest)
    await bot.send_message(6, "x")
    assert [c.status for c in api.requests("sendMessage")] == [429, 429, 502, 502, 200]


async def test_file_download(api: FakeBotApi, bot: Bot) -> None:
    doc = api.add_file(b"---\ntitle: T\n---\nbody", "new.md")
    file = await bot.get_file(doc["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"---\ntitle: T\n---\nbody"


async def test_wrong_token_is_unauthorized(api: FakeBotApi) -> None:
    async with httpx.AsyncClient() as client:
        reply = await client.post(f"{api.base_url}0:wrong/getMe")
    assert reply.status_code == 401

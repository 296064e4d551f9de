"""Inline mode via process_update: offsets, depth, suggestions, answered while the query is open."""

from __future__ import annotations

import pytest
from telegram.ext import Application

import knowledge
from bot import inline, render
from tests.helpers import updates
from tests.helpers.bot_app import feed
from tests.helpers.fake_bot_api import FakeBotApi


@pytest.mark.parametrize(
    ("offset", "page"),
    [
        ("", 0),
        ("0", 0),
        ("10", 10),
        ("20", 20),
        ("30", 0),
        ("15", 0),
        ("-10", 0),
        ("x", 0),
        ("١٠", 0),
        ("0010", 0),
    ],
)
def test_parse_offset_accepts_only_issued_offsets(offset: str, page: int) -> None:
    assert inline.parse_offset(offset) == page


async def test_pages_stop_at_the_depth_limit(app: Application, api: FakeBotApi) -> None:
    offset, pages = "", 0
    for _ in range(10):
        await feed(app, api, updates.inline_query("ceasefire", offset))
        call = api.requests("answerInlineQuery")[-1]
        assert call.ok, call.error
        pages += 1
        offset = call.params.get("next_offset", "")
        if not offset:
            break
        assert inline.parse_offset(offset) == pages * render.INLINE_PAGE
    assert 1 < pages <= knowledge.MAX_RESULTS // render.INLINE_PAGE


async def test_answer_arrives_while_the_query_is_open(app: Application, api: FakeBotApi) -> None:
    # the fake refuses an answer after Telegram's deadline ("query is too old")
    await feed(app, api, updates.inline_query("who mediates the talks"))
    assert [c.ok for c in api.requests("answerInlineQuery")] == [True]


async def test_empty_query_suggests_the_examples(app: Application, api: FakeBotApi) -> None:
    await feed(app, api, updates.inline_query("   "))
    call = api.requests("answerInlineQuery", ok=True)[0]
    titles = [r["title"] for r in call.params["results"]]
    assert titles == list(knowledge.SUGGESTIONS)  # the shipped sources answer every one


def test_empty_query_offers_only_what_the_sources_answer(tmp_path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: Minsk\n---\nThe Minsk deals were signed.\n")
    (tmp_path / "b.md").write_text("---\ntitle: Rain\n---\nIt rained all week there.\n")
    answers = inline.suggested(knowledge.load([tmp_path]))
    assert [a.question for a in answers] == ["What were the Minsk agreements?"]
    assert all(a.answered for a in answers)


async def test_inline_questions_are_logged(app: Application, api: FakeBotApi) -> None:
    await feed(app, api, updates.inline_query("minsk"))
    assert (await app.bot_data.log.asummary()).questions == 1


async def test_an_empty_query_suggests_in_the_users_language_for_them_alone(
    app: Application, api: FakeBotApi
) -> None:
    await feed(app, api, updates.speaking(updates.inline_query(""), "ru"))
    call = api.requests("answerInlineQuery", ok=True)[0]
    titles = [r["title"] for r in call.params["results"]]
    assert "Чего требует Россия?" in titles
    assert {r["description"] for r in call.params["results"]} == {
        "Пример вопроса: нажмите, чтобы отправить ответ с источниками"
    }
    assert call.params["is_personal"] in (True, "true")  # not cached for other users


async def test_a_query_without_words_is_refused_in_the_users_language(
    app: Application, api: FakeBotApi
) -> None:
    await feed(app, api, updates.speaking(updates.inline_query("2099"), "uk"))
    call = api.requests("answerInlineQuery", ok=True)[0]
    [result] = call.params["results"]
    assert result["title"] == "Немає відповіді з джерелом"
    assert call.params["is_personal"] in (True, "true")

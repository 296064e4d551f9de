"""Inline mode end to end: pages of cited excerpts, next_offset, suggestions for an empty query."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Running
from tests.helpers import updates
from tests.helpers.telegram_html import parse_html


async def _answer(bot: Running, query: str, offset: str = ""):
    before = len(bot.api.requests("answerInlineQuery"))
    bot.api.push(updates.inline_query(query, offset))
    calls = await bot.wait_for(lambda: bot.api.requests("answerInlineQuery")[before:])
    assert calls[0].ok, calls[0].error
    return calls[0]


async def test_inline_query_pages_through_results(bot: Running) -> None:
    first = await _answer(bot, "ceasefire talks")
    results = first.params["results"]
    assert len(results) == 10
    assert first.params["next_offset"] == "10"
    titles = {s.title for s in bot.state.knowledge.sources}
    for result in results:
        assert result["title"] in titles
        assert result["description"]
        message = parse_html(result["input_message_content"]["message_text"]).plain
        assert result["title"][:30] in message  # the posted excerpt is cited
        assert not message[:1].isdigit()  # posted alone: no rank from a list the chat never saw
        assert result["input_message_content"]["parse_mode"] == "HTML"
    second = await _answer(bot, "ceasefire talks", first.params["next_offset"])
    ids = {r["id"] for r in results}
    assert second.params["results"] and not ids & {r["id"] for r in second.params["results"]}
    assert int(first.params["cache_time"]) > 0


async def test_unknown_offset_reads_as_first_page(bot: Running) -> None:
    first = await _answer(bot, "ceasefire talks")
    forged = await _answer(bot, "ceasefire talks", "7; DROP TABLE")
    assert [r["id"] for r in forged.params["results"]] == [r["id"] for r in first.params["results"]]


@pytest.mark.parametrize("query", ["", "W", "What d", "the", "🕊️"])
async def test_a_query_still_being_typed_suggests_questions(bot: Running, query: str) -> None:
    call = await _answer(bot, query)
    results = call.params["results"]
    assert results and all(r["title"].endswith("?") for r in results)
    posted = parse_html(results[0]["input_message_content"]["message_text"]).plain
    assert posted.startswith(f"↪ {results[0]['title']}\n\n1.")  # the question it answers


async def test_no_answer_inline_says_so(bot: Running) -> None:
    call = await _answer(bot, "best pizza in Naples")
    [result] = call.params["results"]
    assert result["title"] == "No sourced answer"
    message = parse_html(result["input_message_content"]["message_text"]).plain
    assert "no sourced answer" in message and "You could ask" in message
    assert "next_offset" not in call.params


async def test_an_inline_question_is_logged_once_not_per_page(bot: Running) -> None:
    first = await _answer(bot, "ceasefire talks")
    await _answer(bot, "ceasefire talks", first.params["next_offset"])
    await _answer(bot, "What d")
    await bot.wait_for(lambda: bot.state.log.summary().questions >= 1)
    assert bot.state.log.summary().questions == 1

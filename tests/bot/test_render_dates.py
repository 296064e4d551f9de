"""Dates in replies: every citation shows the source's date; a "latest" answer says "as of"."""

from __future__ import annotations

import knowledge
from bot.cli import format_answer
from bot.render import answer_html, citation
from tests.helpers.telegram_html import parse_html

SOURCE = knowledge.Source("s", "Talks resume", "Text.", publisher="Wire", published="2026-11-27")


def test_a_citation_shows_the_date() -> None:
    assert parse_html(citation(SOURCE)).plain == "— Talks resume, Wire, 2026-11-27"


def answer(as_of: str | None, language: str = "en") -> knowledge.Answer:
    passage = knowledge.Passage("s#0", "s", 0, "Text.")
    excerpt = knowledge.Excerpt(1, passage, SOURCE, "Text.", (), 1.0)
    return knowledge.Answer("latest?", True, (excerpt,), language=language, as_of=as_of)


def test_a_latest_answer_starts_with_as_of_in_telegram_and_the_terminal() -> None:
    shown = parse_html(answer_html(answer("2026-11-27"))).plain
    assert shown.startswith("As of 2026-11-27 (the newest source shown).\n\n1. Text.")
    assert format_answer(answer("2026-11-27")).startswith("As of 2026-11-27 (the newest")
    assert "As of" not in parse_html(answer_html(answer(None))).plain
    russian = parse_html(answer_html(answer("2026-11-27", "ru"))).plain
    assert "По состоянию на 2026-11-27" in russian

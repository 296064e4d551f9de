"""Structured commands end to end: the real bot polling the fake Bot API, the shipped seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge.taxonomy.loader import default_taxonomy_path
from tests.e2e.conftest import ADMIN, Running
from tests.helpers import updates
from tests.helpers.telegram_html import parse_html

MEDIA = "  - id: media\n    name: Media\n    role: supporter\n    aliases:\n      en: [media]\n"


def excerpts(text: str) -> list[str]:
    """The numbered excerpt blocks of a reply (each with its citation line)."""
    blocks = [b for b in text.split("\n\n") if b[:1].isdigit()]
    assert blocks, text
    return blocks


def cited(bot: Running, block: str) -> bool:
    return any(f"— {s.title}" in block for s in bot.state.knowledge.sources)


async def test_demands_russia(bot: Running) -> None:
    blocks = excerpts(await bot.say("/demands russia"))
    assert all(cited(bot, b) for b in blocks)
    text = "\n".join(blocks)
    assert "total departure of Ukrainian armed personnel" in text
    assert "Donetsk, Luhansk, and Crimea" in text
    assert "complete stop of foreign aid to Ukraine and intelligence sharing" in text
    assert "NATO will not expand" in text or "assurances of neutrality" in text


async def test_demands_ukraine(bot: Running) -> None:
    text = "\n".join(excerpts(await bot.say("/demands ukraine")))
    assert "complete withdrawal of Russian forces" in text
    assert "security guarantees" in text or "ironclad guarantees" in text


async def test_outcomes_is_a_cited_timeline(bot: Running) -> None:
    blocks = excerpts(await bot.say("/outcomes"))
    assert all(cited(bot, b) for b in blocks)

    def first(needle: str) -> int:
        return next(i for i, b in enumerate(blocks) if needle in b)

    rounds = [first("Minsk Protocol"), first("2015"), first("Istanbul talks in 2022")]
    rounds.append(first("second round"))
    assert rounds == sorted(rounds)
    assert "exchange of prisoners" in "\n".join(blocks)


async def test_outcomes_istanbul_shows_what_each_istanbul_round_produced(bot: Running) -> None:
    text = await bot.say("/outcomes istanbul")
    assert "prisoner" in text and "Istanbul talks in 2022" in text
    assert "without yielding any definitive outcome" in text


async def test_stakeholders_turkey(bot: Running) -> None:
    blocks = excerpts(await bot.say("/stakeholders turkey"))
    assert all(cited(bot, b) for b in blocks)
    text = "\n".join(blocks)
    assert "neutral mediator" in text and "mediation services" in text


async def test_compare_and_unknown_topic(bot: Running) -> None:
    text = await bot.say("/compare crimea")
    assert "Crimea" in text and "Ukraine" in text and "Russia" in text
    unknown = await bot.say("/compare weather")
    assert "no sourced answer" in unknown and "/compare territory" in unknown


async def test_inline_prefix_routes_the_same(bot: Running) -> None:
    before = len(bot.api.requests("answerInlineQuery"))
    bot.api.push(updates.inline_query("demands russia"))
    [call] = await bot.wait_for(lambda: bot.api.requests("answerInlineQuery")[before:])
    assert call.ok, call.error
    results = call.params["results"]
    posted = [parse_html(r["input_message_content"]["message_text"]).plain for r in results]
    assert any("foreign aid" in p for p in posted)
    assert any("Donetsk, Luhansk, and Crimea" in p for p in posted)


async def test_russian_question_gets_a_russian_note(bot: Running) -> None:
    text = await bot.say("Какую роль играет Турция в переговорах?")
    assert text.startswith("Источники на английском")
    assert "Turkey" in text


async def test_taxonomy_change_takes_effect_with_reload(bot: Running, corpus: Path) -> None:
    assert "no sourced answer" in await bot.say("/stakeholders media")
    for name in ("taxonomy.yaml", "glossary.yaml"):
        shutil.copy(default_taxonomy_path().parent / name, corpus / name)
    path = corpus / "taxonomy.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ndemands:\n", f"{MEDIA}\ndemands:\n", 1), encoding="utf-8")
    assert "Reloaded" in await bot.say("/reload", ADMIN)
    answer = await bot.say("/stakeholders media")
    assert "no sourced answer" not in answer and "media" in answer.lower()


async def test_broken_taxonomy_is_refused_and_the_old_one_serves(
    bot: Running, corpus: Path
) -> None:
    for name in ("taxonomy.yaml", "glossary.yaml"):
        shutil.copy(default_taxonomy_path().parent / name, corpus / name)
    path = corpus / "taxonomy.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    role: mediator\n", "    role: referee\n", 1), "utf-8")
    line = next(i for i, s in enumerate(path.read_text("utf-8").splitlines(), 1) if "referee" in s)
    refused = await bot.say("/reload", ADMIN)
    assert "Reload refused" in refused and f"• {corpus.name}/taxonomy.yaml:{line}:" in refused
    assert "neutral mediator" in await bot.say("/stakeholders turkey")

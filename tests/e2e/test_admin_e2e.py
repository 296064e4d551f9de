"""Admin commands end to end: refusals, /reload (good and broken files), uploads, /stats."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN, Running, plain
from tests.helpers import updates

GOOD = """---
title: The Reykjavik Lighthouse Protocol
publisher: Test Gazette
published: 2024-05-01
url: https://example.org/reykjavik
---
Negotiators met at the Reykjavik lighthouse and signed a protocol on prisoner exchanges.
The lighthouse protocol set up a joint commission to verify every exchange of prisoners.
"""
BROKEN = "---\ntitle: [unclosed\n---\nSome text about the lighthouse.\n"
QUESTION = "What did the Reykjavik lighthouse protocol set up?"


async def test_non_admin_is_refused_and_nothing_runs(bot: Running, corpus: Path) -> None:
    (corpus / "lighthouse.md").write_text(GOOD, encoding="utf-8")
    for command in ("/reload", "/stats"):
        assert "only the bot's admins" in await bot.say(command)
    assert "Reykjavik" not in {s.title for s in bot.state.knowledge.sources}
    file = bot.api.add_file(GOOD.encode(), "lighthouse2.md")
    reply = await bot.send(updates.document(file, chat_id=1001, user_id=1001), chat_id=1001)
    assert "only the bot's admins" in plain(reply)
    assert not bot.api.requests("getFile")


async def test_reload_good_then_broken_file(bot: Running, corpus: Path) -> None:
    assert "no sourced answer" in await bot.say(QUESTION)
    (corpus / "lighthouse.md").write_text(GOOD, encoding="utf-8")
    report = await bot.say("/reload", ADMIN)
    assert "Reloaded" in report and "Added: lighthouse" in report
    answer = await bot.say(QUESTION)
    assert "The Reykjavik Lighthouse Protocol" in answer and "joint commission" in answer

    (corpus / "zz_broken.md").write_text(BROKEN, encoding="utf-8")
    refused = await bot.say("/reload", ADMIN)
    assert "Reload refused" in refused
    assert "• knowledge/zz_broken.md:2:" in refused  # the file (by folder) and the line
    assert str(corpus) not in refused  # no server path in Telegram
    still = await bot.say(QUESTION)
    assert "The Reykjavik Lighthouse Protocol" in still  # the old index keeps serving


async def upload(bot: Running, content: str, name: str) -> str:
    """An admin sends ``content`` as the document ``name``; returns the bot's reply."""
    file = bot.api.add_file(content.encode(), name)
    reply = await bot.send(updates.document(file, chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN)
    return plain(reply)


async def test_admin_upload_adds_a_source(bot: Running, config) -> None:
    reply = await upload(bot, GOOD, "../../etc/Light house!.md")
    assert "Reloaded" in reply and "Added" in reply
    saved = [p.name for p in config.storage.sources_dir.iterdir()]
    assert len(saved) == 1 and re.fullmatch(r"Light_house-[0-9a-f]{8}\.md", saved[0])
    assert "The Reykjavik Lighthouse Protocol" in await bot.say(QUESTION)


MINSK_NOTE = GOOD.replace("Reykjavik Lighthouse Protocol", "Minsk Riverside Memo").replace(
    "Reykjavik lighthouse", "Minsk riverside"
)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Звіт Стамбул.md", "Отчёт Минск.md"), ("report 2025.md", "report_2025.md")],
)
async def test_uploads_with_similar_names_never_replace_each_other(
    bot: Running, config, first: str, second: str
) -> None:
    assert "Added" in await upload(bot, GOOD, first)
    assert "Added" in await upload(bot, MINSK_NOTE, second)
    assert len(list(config.storage.sources_dir.iterdir())) == 2
    titles = {s.title for s in bot.state.knowledge.sources}
    assert {"The Reykjavik Lighthouse Protocol", "The Minsk Riverside Memo"} <= titles
    # sending the same file name again replaces that source, and only it
    reply = await upload(bot, GOOD.replace("joint commission", "joint council"), first)
    assert "Changed" in reply and len(list(config.storage.sources_dir.iterdir())) == 2


async def test_an_upload_beyond_what_telegram_lets_bots_download_is_explained(
    bot: Running, config
) -> None:
    bot.api.download_limit = 100  # as a 25 MB file under a 50 MB max_upload_bytes
    reply = await upload(bot, GOOD, "lighthouse.md")
    assert "up to 20 MB" in reply and "wrong" not in reply
    assert list(config.storage.sources_dir.iterdir()) == []


async def test_a_notepad_unicode_upload_is_read_as_utf8(bot: Running, config) -> None:
    file = bot.api.add_file(GOOD.replace("\n", "\r\n").encode("utf-16"), "lighthouse.md")
    reply = await bot.send(updates.document(file, chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN)
    assert "Added" in plain(reply), plain(reply)
    assert "Reykjavik" in await bot.say(QUESTION)


async def test_the_same_text_under_another_name_is_not_a_second_source(
    bot: Running, config
) -> None:
    assert "Added" in await upload(bot, GOOD, "lighthouse.md")
    reply = await upload(bot, GOOD.replace("2024-05-01", "2024-05-02"), "lighthouse copy.md")
    assert "same text as “The Reykjavik Lighthouse Protocol”" in reply
    assert [p.name for p in config.storage.sources_dir.iterdir()] == ["lighthouse.md"]
    edited = GOOD.replace("signed a protocol", "signed a long protocol")
    assert "Changed: lighthouse" in await upload(bot, edited, "lighthouse.md")  # replaces itself


async def test_an_untitled_text_upload_is_titled_after_its_own_file_name(bot: Running) -> None:
    text = "negotiators met at the bergen lighthouse and agreed on ferry inspections.\n"
    assert "Added" in await upload(bot, text, "Звіт Берген.txt")
    [source] = [s for s in bot.state.knowledge.sources if "ferry" in s.text]
    assert source.title == "Звіт Берген"
    assert "— Звіт Берген" in await bot.say("ferry inspections at the bergen lighthouse")


async def test_an_upload_that_clashes_with_the_set_is_never_saved(bot: Running, config) -> None:
    shipped = bot.state.knowledge.sources[0].id
    reply = await upload(bot, f"---\nid: {shipped}\ntitle: Impostor\n---\nSome text.\n", "x.md")
    assert "Not added" in reply and f"duplicate source id '{shipped}'" in reply
    assert list(config.storage.sources_dir.iterdir()) == []


async def test_admin_upload_broken_or_wrong_files_are_refused(bot: Running, config) -> None:
    broken = bot.api.add_file(BROKEN.encode(), "broken.md")
    reply = await bot.send(updates.document(broken, chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN)
    assert "broken.md:2:" in plain(reply)
    exe = bot.api.add_file(b"MZ", "tool.exe")
    reply = await bot.send(updates.document(exe, chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN)
    assert ".md or .txt" in plain(reply)
    big = bot.api.add_file(b"x" * (config.storage.max_upload_bytes + 1), "big.txt")
    reply = await bot.send(updates.document(big, chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN)
    assert "too large" in plain(reply)
    assert list(config.storage.sources_dir.iterdir()) == []
    assert len(bot.state.knowledge.sources) == 4


async def test_stats_reports_questions_latency_and_unanswered(bot: Running) -> None:
    await bot.say("Who mediates the talks?")
    for _ in range(2):
        await bot.say("Best pizza in Naples?")
    await bot.say("Cheapest flights to Lima?")
    # each question is logged just after its reply is sent: wait for the last write
    await bot.wait_for(lambda: bot.state.log.summary().questions == 4)
    report = await bot.say("/stats", ADMIN)
    assert "Sources: 4" in report
    assert "Questions served: 4" in report
    assert "No-answer rate: 75%" in report
    assert "p50:" in report and "ms" in report
    lines = report.splitlines()
    top = lines.index("Unanswered, most frequent first")
    assert lines[top + 1] == "2× best pizza in naples?"
    assert lines[top + 2] == "1× cheapest flights to lima?"


async def test_stats_in_a_group_quotes_no_private_question(bot: Running) -> None:
    await bot.say("is my divorce lawyer in lviv any good?")
    await bot.wait_for(lambda: bot.state.log.summary().questions == 1)
    group = -100555
    reply = await bot.send(updates.message("/stats", chat_id=group, user_id=ADMIN), group)
    assert "private chat" in plain(reply) and "lawyer" not in plain(reply)
    assert "lawyer" in await bot.say("/stats", ADMIN)


async def test_admin_menu_is_set_for_admins_only(bot: Running) -> None:
    calls = bot.api.requests("setMyCommands", ok=True)
    public = [c for c in calls if "scope" not in c.params and "language_code" not in c.params]
    scoped = [c for c in calls if "scope" in c.params]
    assert "reload" not in {c["command"] for c in public[0].params["commands"]}
    assert scoped[0].params["scope"] == {"type": "chat", "chat_id": ADMIN}
    admin_names = [c["command"] for c in scoped[0].params["commands"]]
    assert "reload" in admin_names and len(set(admin_names)) == len(admin_names)
    assert {"ask", "sources", "demands"} <= set(admin_names)


async def test_the_menu_is_described_in_ukrainian_and_russian_for_apps_in_them(
    bot: Running,
) -> None:
    calls = bot.api.requests("setMyCommands", ok=True)
    menus = {
        c.params["language_code"]: c.params["commands"]
        for c in calls
        if "language_code" in c.params
    }
    public = next(c for c in calls if not {"scope", "language_code"} & set(c.params))
    english = [c["command"] for c in public.params["commands"]]
    for language, word in (("uk", "Запитати"), ("ru", "Спросить")):
        assert [c["command"] for c in menus[language]] == english
        ask = next(c for c in menus[language] if c["command"] == "ask")
        assert ask["description"].startswith(word)


LEDGER = """---
title: The Harbour Ledger
publisher: Test Gazette
---
{lead}The harbour ledger records every grain convoy that leaves the southern ports.

Inspectors from both sides count the sacks of wheat loaded onto each convoy at dawn.

A joint office in the harbour publishes the convoy ledger every week for the mediators.
"""


async def test_an_old_source_button_never_shows_another_passage(bot: Running, corpus) -> None:
    (corpus / "ledger.md").write_text(LEDGER.format(lead=""), encoding="utf-8")
    assert "Added: ledger" in await bot.say("/reload", ADMIN)
    answer = await bot.send(updates.message("Who counts the sacks of wheat?"), chat_id=1001)
    data = answer.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    first = plain(await bot.send(updates.callback(data, answer.result), chat_id=1001))
    assert "count the sacks of wheat" in first
    # the editor adds a paragraph on top: every later paragraph moves down one place
    lead = "Editor's note: this ledger was updated after the second round of talks.\n\n"
    (corpus / "ledger.md").write_text(LEDGER.format(lead=lead), encoding="utf-8")
    assert "Changed: ledger" in await bot.say("/reload", ADMIN)
    again = await bot.send(updates.callback(data, answer.result), chat_id=1001)
    assert plain(again) == first  # the same passage, though its position changed
    # now the passage itself is edited: its old button expires rather than show another
    edited = LEDGER.format(lead=lead).replace("sacks of wheat", "sacks of barley")
    (corpus / "ledger.md").write_text(edited, encoding="utf-8")
    assert "Changed: ledger" in await bot.say("/reload", ADMIN)
    sent_before = len(bot.api.sent(1001))
    bot.api.push(updates.callback(data, answer.result))
    expired = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[2:])
    assert "expired" in expired[0].params["text"]
    assert bot.api.sent(1001)[sent_before:] == []


IMPOSSIBLE_DATE = GOOD.replace("published: 2024-05-01", "published: 2025-06-31")


async def test_a_bad_value_is_named_by_file_and_line_on_upload_and_reload(
    bot: Running, config, corpus: Path
) -> None:
    reply = await upload(bot, IMPOSSIBLE_DATE, "lighthouse.md")
    assert "Not added" in reply and "• lighthouse.md:4:" in reply  # the `published:` line
    assert str(config.storage.dir) not in reply  # named as sent, no server path
    assert "something went wrong" not in reply
    assert list(config.storage.sources_dir.iterdir()) == []  # nothing kept
    (corpus / "lighthouse.md").write_text(IMPOSSIBLE_DATE, encoding="utf-8")
    refused = await bot.say("/reload", ADMIN)
    assert "Reload refused" in refused and "• knowledge/lighthouse.md:4:" in refused
    assert len(bot.state.knowledge.sources) == 4  # the old index keeps serving


async def test_an_admin_removes_an_uploaded_source_and_answers_stop_citing_it(
    bot: Running, config, corpus: Path
) -> None:
    await upload(bot, GOOD, "lighthouse.md")
    await upload(bot, MINSK_NOTE, "riverside.md")
    assert "The Reykjavik Lighthouse Protocol" in await bot.say(QUESTION)
    assert "No added source matches" in await bot.say("/remove Yalta", ADMIN)
    shipped = bot.state.knowledge.sources[0].title.split()[0]
    assert "configured knowledge folder" in await bot.say(f"/remove {shipped}", ADMIN)
    assert "only the bot's admins" in await bot.say("/remove lighthouse")

    offer = await bot.send(
        updates.message("/remove reykjavik PROTOCOL", chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN
    )
    rows = offer.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [["🗑 The Reykjavik Lighthouse Protocol"]]
    data = rows[0][0]["callback_data"]
    bot.api.push(updates.callback(data, offer.result, user_id=1001))
    refusal = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery"))
    assert refusal[0].params["text"] == "Sorry, only the bot's admins can do that."
    assert len(list(config.storage.sources_dir.iterdir())) == 2

    done = await bot.send(updates.callback(data, offer.result, user_id=ADMIN), chat_id=ADMIN)
    assert done.method == "editMessageText"
    assert "Removed “The Reykjavik Lighthouse Protocol”" in plain(done)
    assert [p.name for p in config.storage.sources_dir.iterdir()] == ["riverside.md"]
    answer = await bot.say(QUESTION)
    assert "Reykjavik Lighthouse" not in answer and "Minsk Riverside Memo" in answer

    answered = len(bot.api.requests("answerCallbackQuery"))
    bot.api.push(updates.callback(data, offer.result, user_id=ADMIN))
    again = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery")[answered:])
    assert again[0].params["text"] == "That source is no longer there."


async def test_a_removal_whose_reload_fails_keeps_the_source_and_names_no_server_path(
    bot: Running, config, corpus: Path
) -> None:
    await upload(bot, GOOD, "lighthouse.md")
    (corpus / "zz_broken.md").write_text(BROKEN, encoding="utf-8")
    offer = await bot.send(
        updates.message("/remove lighthouse", chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN
    )
    data = offer.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    done = plain(await bot.send(updates.callback(data, offer.result, user_id=ADMIN), ADMIN))
    assert "Not removed: “The Reykjavik Lighthouse Protocol”" in done
    assert f"{corpus.name}/zz_broken.md:2:" in done and str(corpus.parent) not in done
    assert [p.name for p in config.storage.sources_dir.iterdir()] == ["lighthouse.md"]
    assert "The Reykjavik Lighthouse Protocol" in await bot.say(QUESTION)


async def test_remove_alone_offers_the_newest_added_sources(bot: Running, config) -> None:
    assert "Send /remove WORDS" in await bot.say("/remove", ADMIN)  # nothing added yet
    await upload(bot, GOOD, "lighthouse.md")
    await upload(bot, MINSK_NOTE, "riverside.md")
    saved = config.storage.sources_dir
    os.utime(saved / "lighthouse.md", (2_000_000_000, 2_000_000_000))  # saved last
    os.utime(saved / "riverside.md", (1_900_000_000, 1_900_000_000))
    offer = await bot.send(updates.message("/remove", chat_id=ADMIN, user_id=ADMIN), ADMIN)
    assert plain(offer).startswith("The newest added sources")
    labels = [row[0]["text"] for row in offer.params["reply_markup"]["inline_keyboard"]]
    assert labels == ["🗑 The Reykjavik Lighthouse Protocol", "🗑 The Minsk Riverside Memo"]

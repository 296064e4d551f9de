"""Admin handlers and upload safety: refusals, safe names, size limits."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot import admin, texts
from bot.uploads import check_upload, install, restore, safe_name
from tests.helpers import updates
from tests.helpers.bot_app import feed, make_config, processing_app
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_html import parse_html


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("source.md", r"source\.md"),
        ("report_2025.txt", r"report_2025\.txt"),
        ("../../etc/passwd.md", r"passwd\.md"),
        ("..\\..\\win\\x.TXT", r"x-[0-9a-f]{8}\.txt"),
        (".hidden.md", r"hidden-[0-9a-f]{8}\.md"),
        ("a b (1)!.md", r"a_b_1-[0-9a-f]{8}\.md"),
        ("....md", r"upload-[0-9a-f]{8}\.md"),
        ("Звіт Стамбул.md", r"Zvit_Stambul-[0-9a-f]{8}\.md"),
        ("Отчёт Минск.md", r"Otchet_Minsk-[0-9a-f]{8}\.md"),
        ("x" * 300 + ".md", "x" * 88 + r"-[0-9a-f]{8}\.md"),
        ("spoof-0123abcd.md", r"spoof-0123abcd-[0-9a-f]{8}\.md"),
    ],
)
def test_saved_names_are_readable_and_safe(name: str, saved: str) -> None:
    assert re.fullmatch(saved, safe_name(name) or ""), safe_name(name)
    assert len(safe_name(name) or "") <= 100


@pytest.mark.parametrize("name", ["tool.exe", "notes.md.exe", "README", None])
def test_only_md_and_txt_files_are_taken(name: str | None) -> None:
    assert safe_name(name) is None


@pytest.mark.parametrize(
    "names",
    [
        ("Звіт Стамбул.md", "Отчёт Минск.md", "Звіт  Стамбул.md"),
        ("report 2025.md", "report_2025.md", "report-2025.md", "Report 2025.md"),
        ("a.md", "a.MD", ".a.md", "a..md"),
        ("spoof.md", f"spoof-{safe_name('spoof .md')[6:14]}.md"),
    ],
)
def test_different_originals_never_share_a_saved_name(names: tuple[str, ...]) -> None:
    saved = [safe_name(n) for n in names]
    assert len(set(saved)) == len(names), saved
    assert saved == [safe_name(n) for n in names]  # the same original keeps its name


def test_check_upload_reports_where_the_file_would_be_saved(tmp_path: Path) -> None:
    uploads = tmp_path / "sources"
    uploads.mkdir()
    problems = check_upload([], uploads, "bad.md", b"---\ntitle: [x\n---\nbody\n")
    assert problems and str(problems[0]).startswith(f"{uploads / 'bad.md'}:2:")
    good = b"---\ntitle: Good\n---\nA body sentence.\n"
    assert check_upload([], uploads, "good.md", good) == ()
    assert list(uploads.iterdir()) == []  # checking writes nothing there


def test_install_and_restore(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    assert install(target, b"one") is None
    assert install(target, b"two") == b"one"
    restore(target, b"one")
    assert target.read_bytes() == b"one"
    restore(target, None)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temp files left behind


def test_install_syncs_the_file_and_its_folder(tmp_path: Path, monkeypatch) -> None:
    synced: list[str] = []
    fsync = os.fsync
    monkeypatch.setattr(
        os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), fsync(fd))
    )
    install(tmp_path / "a.md", b"one")
    assert synced[0].startswith(str(tmp_path / ".incoming-")) and synced[1] == str(tmp_path)


@pytest.mark.parametrize("command", ["/reload", "/stats"])
async def test_non_admin_refused(api: FakeBotApi, tmp_path: Path, command: str) -> None:
    config = make_config(api, tmp_path / "data", admins=(1,))
    async with processing_app(config) as app:
        before = app.bot_data.loaded
        await feed(app, api, updates.message(command, user_id=2, chat_id=2))
        assert app.bot_data.loaded is before
    assert parse_html(api.sent(2)[0].params["text"]).plain == texts.REFUSED


async def test_admin_stats_and_reload(api: FakeBotApi, tmp_path: Path) -> None:
    config = make_config(api, tmp_path / "data", admins=(2,))
    async with processing_app(config) as app:
        await feed(app, api, updates.message("/reload", user_id=2, chat_id=2))
        await feed(app, api, updates.message("/stats", user_id=2, chat_id=2))
    reload_text, stats_text = (parse_html(c.params["text"]).plain for c in api.sent(2))
    assert "Reloaded" in reload_text and "No source changed." in reload_text
    assert "Questions served: 0" in stats_text


async def test_oversized_upload_is_not_downloaded(api: FakeBotApi, tmp_path: Path) -> None:
    config = make_config(api, tmp_path / "data", admins=(2,))
    file = api.add_file(b"x" * 10, "big.md")
    file["file_size"] = config.storage.max_upload_bytes + 1
    async with processing_app(config) as app:
        await feed(app, api, updates.document(file, chat_id=2, user_id=2))
    assert "too large" in parse_html(api.sent(2)[0].params["text"]).plain
    assert not api.requests("getFile")


async def test_a_corrupt_question_log_does_not_stop_the_bot(api: FakeBotApi, tmp_path) -> None:
    config = make_config(api, tmp_path / "data", admins=(2,))
    config.storage.dir.mkdir()
    (config.storage.dir / "questions.sqlite3").write_bytes(b"\x00garbage" * 512)
    async with processing_app(config) as app:
        await feed(app, api, updates.message("Who mediates the talks?", user_id=2, chat_id=2))
        await feed(app, api, updates.message("/stats", user_id=2, chat_id=2))
    answer, stats = (parse_html(c.params["text"]).plain for c in api.sent(2))
    assert answer.startswith("1.") and "Questions served: 1" in stats


async def test_stats_cover_the_configured_history_only(api: FakeBotApi, tmp_path) -> None:
    config = make_config(api, tmp_path / "data", admins=(2,))
    config = replace(config, storage=replace(config.storage, max_questions=2))
    async with processing_app(config) as app:
        for question in ("Who mediates the talks?", "Best pizza?", "Cheap flights?"):
            await feed(app, api, updates.message(question, user_id=2, chat_id=2))
        await feed(app, api, updates.message("/stats", user_id=2, chat_id=2))
    assert "Questions served: 2" in parse_html(api.sent(2)[-1].params["text"]).plain


async def _upload(api: FakeBotApi, app, content: bytes, name: str, chat_id: int = 2) -> str:
    """Admin 2 sends ``content`` as the document ``name`` in ``chat_id``; the bot's reply."""
    file = api.add_file(content, name)
    await feed(app, api, updates.document(file, chat_id=chat_id, user_id=2))
    return parse_html(api.sent(chat_id)[-1].params["text"]).plain


async def test_a_refused_upload_is_named_as_sent_with_no_server_path(
    api: FakeBotApi, tmp_path: Path
) -> None:
    config = make_config(api, tmp_path / "data", admins=(2,))
    async with processing_app(config) as app:
        broken = await _upload(api, app, b"---\ntitle: [x\n---\nbody\n", "My report (draft).md")
        shipped = app.bot_data.knowledge.sources[0]
        clash = f"---\nid: {shipped.id}\ntitle: Impostor\n---\nSome text.\n".encode()
        duplicate = await _upload(api, app, clash, "C:\\Users\\me\\Impostor.md")
    assert broken.startswith("Not added: My report (draft).md has problems")
    assert "• My report (draft).md:2: " in broken
    assert duplicate.startswith("Not added: Impostor.md has problems")
    assert f"(also corpus/{Path(shipped.path).name})" in duplicate
    for reply in (broken, duplicate):
        assert str(tmp_path) not in reply and str(Path(shipped.path).parent) not in reply
    assert not config.storage.sources_dir.exists() or not any(config.storage.sources_dir.iterdir())


GOOD_SOURCE = b"---\ntitle: Lighthouse memo\n---\nThe lighthouse memo set up a ferry commission.\n"


async def test_an_admins_source_file_in_a_group_is_pointed_to_the_private_chat(
    api: FakeBotApi, tmp_path: Path
) -> None:
    config = make_config(api, tmp_path / "data", admins=(2,))
    async with processing_app(config) as app:
        before = app.bot_data.loaded
        reply = await _upload(api, app, GOOD_SOURCE, "memo.md", chat_id=-100)
        assert app.bot_data.loaded is before  # nothing added from a group
        pdf = api.add_file(b"%PDF-1.4", "slides.pdf")
        await feed(app, api, updates.document(pdf, chat_id=-100, user_id=2))
    assert reply == admin.UPLOAD_IN_PRIVATE and "private chat" in reply
    assert len(api.sent(-100)) == 1  # another kind of file in a group is chatter
    assert not api.requests("getFile")
    assert not config.storage.sources_dir.exists() or not any(config.storage.sources_dir.iterdir())


@pytest.mark.parametrize("chat_id", [3, -100])
async def test_a_non_admins_document_caption_is_answered_as_a_question(
    api: FakeBotApi, tmp_path: Path, chat_id: int
) -> None:
    config = make_config(api, tmp_path / "data", admins=(2,))
    file = api.add_file(GOOD_SOURCE, "memo.md")
    caption = "@CeasefireTestBot Who mediates the talks?" if chat_id < 0 else "Who mediates?"
    async with processing_app(config) as app:
        await feed(app, api, updates.document(file, chat_id=chat_id, user_id=3, caption=caption))
        await feed(app, api, updates.document(file, chat_id=chat_id, user_id=3))
    replies = [parse_html(c.params["text"]).plain for c in api.sent(chat_id)]
    assert replies[0].startswith("1. ") and texts.REFUSED not in replies[0]
    # without words: refused in a private chat, chatter in a group
    assert replies[1:] == ([texts.REFUSED] if chat_id > 0 else [])
    assert not api.requests("getFile")

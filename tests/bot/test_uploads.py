"""Uploads: what an admin's file is saved as, and the sidecar that keeps its own title."""

from __future__ import annotations

from pathlib import Path

from bot.uploads import for_chat, read_upload, safe_name, titled
from knowledge import Problem


def test_only_an_upload_titled_after_a_changed_name_gets_a_title_line() -> None:
    untitled = b"negotiators met at the lighthouse and agreed on ferry inspections.\n"
    name = safe_name("Звіт Берген.txt")
    with_title = titled(read_upload(name, untitled), "Звіт Берген.txt", name, untitled)
    assert with_title == "Звіт Берген\n\n".encode() + untitled
    assert read_upload(name, with_title).title == "Звіт Берген"
    titled_text = b"Bergen report\n\n" + untitled
    assert (
        titled(read_upload(name, titled_text), "Звіт Берген.txt", name, titled_text) == titled_text
    )
    assert (
        titled(read_upload("notes.txt", untitled), "notes.txt", "notes.txt", untitled) == untitled
    )


def test_problems_shown_in_telegram_name_no_server_path(tmp_path: Path) -> None:
    corpus, uploads = tmp_path / "srv" / "corpus", tmp_path / "state" / "sources"
    upload = uploads / "My_report-1a2b3c4d.md"
    problems = [
        Problem(str(upload), 2, "invalid YAML"),
        Problem(str(corpus), 1, "knowledge folder does not exist"),
        Problem(str(uploads / "b.md"), 1, f"duplicate source id 'x' (also {corpus / 'a.md'})"),
        Problem(str(tmp_path / "srv" / "corpus2" / "c.md"), 1, "empty"),
    ]
    shown = [str(p) for p in for_chat(problems, [corpus, uploads], [(upload, "My report.md")])]
    assert shown == [
        "My report.md:2: invalid YAML",
        "corpus:1: knowledge folder does not exist",
        "sources/b.md:1: duplicate source id 'x' (also corpus/a.md)",
        f"{tmp_path / 'srv' / 'corpus2' / 'c.md'}:1: empty",  # in no folder given: as it is
    ]

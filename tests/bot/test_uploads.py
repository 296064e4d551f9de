"""Uploads: what an admin's file is saved as, and the sidecar that keeps its own title."""

from __future__ import annotations

from bot.uploads import read_upload, safe_name, titled


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

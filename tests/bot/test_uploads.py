"""Uploads: what an admin's file is saved as, and the sidecar that keeps its own title."""

from __future__ import annotations

from bot.uploads import read_upload, safe_name, titled


def test_only_an_upload_titled_after_a_changed_name_gets_a_sidecar() -> None:
    untitled = b"negotiators met at the lighthouse and agreed on ferry inspections.\n"
    name = safe_name("Звіт Берген.txt")
    upload = read_upload(name, untitled)
    assert titled(upload, "Звіт Берген.txt", name) == [
        (name.removesuffix(".txt") + ".meta.yaml", "title: Звіт Берген\n".encode())
    ]
    assert titled(read_upload(name, b"Bergen report\n\n" + untitled), "Звіт Берген.txt", name) == []
    assert titled(read_upload("notes.txt", untitled), "notes.txt", "notes.txt") == []

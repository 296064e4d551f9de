"""Source files uploaded by admins: safe names, checked before saving, written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import knowledge

ALLOWED_SUFFIXES = (".md", ".txt")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
MAX_NAME = 100  # characters of a saved file name


def safe_name(original: str | None) -> str | None:
    """A bare, harmless file name for an upload, or None if it is not a .md/.txt file.

    Path parts, leading dots and anything but ``A-Z a-z 0-9 _ . -`` are dropped, so the file
    can only land directly in the uploads folder.
    """
    base = Path((original or "").replace("\\", "/")).name
    stem, dot, extension = base.rpartition(".")
    suffix = f".{extension.lower()}" if dot else ""
    if suffix not in ALLOWED_SUFFIXES:
        return None
    stem = _UNSAFE.sub("_", stem).strip("._-")[: MAX_NAME - len(suffix)]
    return f"{stem or 'upload'}{suffix}"


def check_upload(name: str, data: bytes) -> tuple[knowledge.Problem, ...]:
    """Problems of the file ``name`` with content ``data``, reported under its own name."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        problems, _warnings = knowledge.check([Path(folder)])
    return tuple(
        knowledge.Problem(p.path.replace(str(path), name), p.line, p.message) for p in problems
    )


def install(target: Path, data: bytes) -> bytes | None:
    """Write ``data`` to ``target`` atomically; returns the bytes it replaced, if any."""
    previous = target.read_bytes() if target.exists() else None
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".incoming-", delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, target)
    return previous


def restore(target: Path, previous: bytes | None) -> None:
    """Undo :func:`install`: put the old bytes back, or remove the new file."""
    if previous is None:
        target.unlink(missing_ok=True)
    else:
        install(target, previous)

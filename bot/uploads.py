"""Source files uploaded by admins: the one place that names, checks and writes them.

A saved name is readable (any script transliterated to ASCII by ``anyascii``) and safe
(``A-Z a-z 0-9 _ . -`` only, no path). When that loses anything of the original name, a
short hash of the original is added, so two different originals never share a file and the
same original always replaces its own.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from anyascii import anyascii

import knowledge
from knowledge.articles import same_as
from knowledge.sources import read_source, title_from_name

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".md", ".txt")
MAX_NAME = 100  # characters of a saved file name
HASH_CHARS = 8  # hex digits of the original name's hash in a lossy saved name
INCOMING = ".incoming-"  # prefix of a file being written; a leftover was interrupted
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_HASHED = re.compile(rf"-[0-9a-f]{{{HASH_CHARS}}}$")


def readable(text: str, room: int = MAX_NAME) -> str:
    """``text`` as at most ``room`` safe ASCII file-name characters (may be empty)."""
    return _UNSAFE.sub("_", anyascii(text)).strip("._-")[:room]


def safe_name(original: str | None) -> str | None:
    """The file name an upload called ``original`` is saved as; None unless .md or .txt."""
    base = Path((original or "").replace("\\", "/")).name
    stem, dot, extension = base.rpartition(".")
    suffix = f".{extension.lower()}" if dot else ""
    if suffix not in ALLOWED_SUFFIXES:
        return None
    room = MAX_NAME - len(suffix) - 1 - HASH_CHARS
    shown = readable(stem, room) or "upload"
    if f"{shown}{suffix}" == base and not _HASHED.search(shown):
        return base
    tag = hashlib.blake2b(base.encode(), digest_size=8).hexdigest()[:HASH_CHARS]
    return f"{shown}-{tag}{suffix}"


def read_upload(name: str, data: bytes) -> knowledge.Source | None:
    """The source an upload saved as ``name`` would be; None if it does not read."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read_source(path)[0]


def duplicate_of(
    upload: knowledge.Source, name: str, sources: Iterable[knowledge.Source]
) -> knowledge.Source | None:
    """The source among ``sources`` with the same text as ``upload``, other than the file
    ``name`` it replaces; None if it is new."""
    return same_as(upload.text, (s for s in sources if Path(s.path).name != name))


def titled(upload: knowledge.Source, original: str, name: str, data: bytes) -> bytes:
    """``data``, with a title line first when the upload would be titled after its saved name:
    the title its original name gives ("Звіт Берген"), not the saved one ("Zvit Bergen
    9d514da7"). A ``.txt`` source's first line is its title when it reads as one."""
    saved = Path(name)
    if saved.suffix != ".txt" or upload.title != title_from_name(saved):
        return data
    title = title_from_name(Path(Path(original.replace("\\", "/")).name))
    if Path(original).name == name or not title.strip():
        return data
    return f"{title}\n\n".encode() + data.removeprefix(codecs.BOM_UTF8)


def check_upload(
    dirs: Sequence[Path], uploads: Path, name: str, data: bytes
) -> tuple[knowledge.Problem, ...]:
    """Problems of the whole knowledge set as it would be with ``data`` saved as ``name``.

    ``dirs`` are the configured folders; ``uploads`` the uploads folder, staged in a temporary
    copy so nothing is written there before the set is known to load.
    """
    return check_uploads(dirs, uploads, [(name, data)])


def check_uploads(
    dirs: Sequence[Path], uploads: Path, files: Sequence[tuple[str, bytes]]
) -> tuple[knowledge.Problem, ...]:
    """:func:`check_upload` for several files at once (``/add`` and feeds: one batch)."""
    names = {name for name, _ in files}
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        stage = Path(folder)
        if uploads.is_dir():
            for path in uploads.iterdir():
                if path.is_file() and path.name not in names and not path.name.startswith("."):
                    shutil.copy2(path, stage / path.name)
        for name, data in files:
            (stage / name).write_bytes(data)
        problems, _warnings = knowledge.check([*dirs, stage])
    return tuple(_relocated(p, f"{stage}{os.sep}", f"{uploads}{os.sep}") for p in problems)


def _relocated(problem: knowledge.Problem, stage: str, uploads: str) -> knowledge.Problem:
    """``problem`` naming the uploads folder instead of the temporary copy."""
    path, message = problem.path.replace(stage, uploads), problem.message.replace(stage, uploads)
    return knowledge.Problem(path, problem.line, message)


def sent_name(original: str | None, saved: str) -> str:
    """The name an admin gave the upload (its last part), else the name it is saved as."""
    return Path((original or "").replace("\\", "/")).name or saved


def for_chat(
    problems: Iterable[knowledge.Problem],
    folders: Sequence[Path],
    renamed: Sequence[tuple[Path, str]] = (),
) -> tuple[knowledge.Problem, ...]:
    """``problems`` as a Telegram user is shown them: no server path. Each file of
    ``renamed`` goes by its name there (an upload: as the admin sent it), a knowledge folder
    by its own name, so a file in it reads ``corpus/a.md``."""
    names = [(str(path), name) for path, name in renamed]
    names += [(str(f), f.name) for f in sorted(folders, key=lambda f: -len(str(f)))]
    return tuple(
        knowledge.Problem(_renamed(p.path, names), p.line, _renamed(p.message, names))
        for p in problems
    )


def _renamed(text: str, names: Sequence[tuple[str, str]]) -> str:
    for path, name in names:  # a whole path only: followed by "/", ":", ")", a space or the end
        whole = re.compile(rf"{re.escape(path)}(?![^{re.escape(os.sep)}:)\s])")
        text = whole.sub(lambda _, name=name: name, text)  # the name as is, no escapes
    return text


def install(target: Path, data: bytes) -> bytes | None:
    """Write ``data`` to ``target`` atomically and durably; returns the bytes it replaced."""
    previous = target.read_bytes() if target.exists() else None
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=INCOMING, delete=False) as tmp:
        tmp.write(data)
        tmp.flush()
        os.fsync(tmp.fileno())  # the bytes are on disk before the name points at them
    os.replace(tmp.name, target)
    _sync_folder(target.parent)
    return previous


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore(target: Path, previous: bytes | None) -> None:
    """Undo :func:`install`: put the old bytes back, or remove the new file."""
    if previous is None:
        target.unlink(missing_ok=True)
        _sync_folder(target.parent)
    else:
        install(target, previous)


def clean_incoming(folder: Path) -> int:
    """Remove files an interrupted :func:`install` left in ``folder``; returns how many."""
    leftovers = list(folder.glob(f"{INCOMING}*")) if folder.is_dir() else []
    for path in leftovers:
        path.unlink(missing_ok=True)
    if leftovers:
        logger.warning("removed %d interrupted upload file(s) from %s", len(leftovers), folder)
    return len(leftovers)

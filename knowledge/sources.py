"""Source files to `Source` values: Markdown with front matter, or raw text with a sidecar.

This is the core's only reader of knowledge files. Every problem becomes a `Problem`
(`path:line: message`); nothing here raises on a bad file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.cleaning import clean_text, find_placeholders
from knowledge.models import Problem, Source
from knowledge.source_table import SourceColumns
from knowledge.yamlfile import YamlReader, decode_utf8

__all__ = [
    "LoadResult",
    "load_sources",
    "read_source",
    "source_files",
    "title_from_name",
    "unread_sources",
]

SUFFIXES = (".md", ".txt")
SIDECAR = ".meta.yaml"
META_KEYS = ("id", "title", "url", "author", "publisher", "published", "language")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,47}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")  # en, uk, pt-BR
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]?$")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The sources read from some folders, the problems that stop a load, and warnings."""

    sources: Sequence[Source]  # a SourceTable: texts held as UTF-8, each made when read
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def source_files(folder: Path) -> list[Path]:
    """The source files of one knowledge folder, sorted; hidden files are skipped."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SUFFIXES and p.is_file() and p.name[0] != "."
    )


def unread_sources(folder: Path) -> list[Problem]:
    """Warnings for what looks like a source but is not read: ``.markdown`` or ``.text``
    files, and sources in subfolders (only a folder's own ``.md`` and ``.txt`` are read)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name[0] == ".":
            continue
        if path.is_file() and path.suffix.lower() in (".markdown", ".text", ".mdown"):
            found.append(Problem(str(path), 1, "not read: a source must end in .md or .txt"))
        elif path.is_dir() and source_files(path):
            why = "not read: sources in a subfolder are read only if it is listed itself"
            found.append(Problem(str(path), 1, why))
    return found


def _decode(path: Path, data: bytes) -> tuple[str | None, Problem | None]:
    if not data.strip():
        return None, Problem(str(path), 1, "file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, Problem(str(path), 1, 'UTF-16 text (Notepad\'s "Unicode"): save it as UTF-8')
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, Problem(str(path), line, "binary file (NUL byte), not text")
    return decode_utf8(path, data)


def _validate_meta(
    path: Path, meta: Any, line: int, lines: Mapping[tuple[Any, ...], int] | None = None
) -> tuple[dict[str, str], list[Problem]]:
    """The metadata as text, and its problems, each on its key's line (``lines``) if known."""
    at = {key: (lines or {}).get((key,), line) for key in meta} if isinstance(meta, dict) else {}
    if meta is None:
        return {}, []
    if not isinstance(meta, dict):
        return {}, [Problem(str(path), line, "metadata must be a mapping of key: value")]
    out: dict[str, str] = {}
    problems = []
    for key, value in meta.items():
        if key not in META_KEYS:
            known = ", ".join(META_KEYS)
            problems.append(Problem(str(path), at[key], f"unknown key {key!r} (known: {known})"))
        elif value is None or value == "":
            continue
        elif key == "published" and isinstance(value, dt.date):
            out[key] = value.isoformat()[:10]
        elif not isinstance(value, str | int | float):
            problems.append(Problem(str(path), at[key], f"{key}: must be text"))
        else:
            out[key] = str(value).strip()
    problems += _check_values(path, out, at)
    return out, problems


def _check_values(path: Path, meta: dict[str, str], at: Mapping[Any, int]) -> list[Problem]:
    problems = []
    if "published" in meta and not _DATE.match(meta["published"]):
        msg = "published: must be a date YYYY-MM-DD"
        problems.append(Problem(str(path), at["published"], msg))
    if "url" in meta and not meta["url"].startswith(("http://", "https://")):
        msg = "url: must start with http:// or https://"
        problems.append(Problem(str(path), at["url"], msg))
    if "language" in meta and not _LANGUAGE.match(meta["language"]):
        msg = "language: must be a language code such as en, uk or ru"
        problems.append(Problem(str(path), at["language"], msg))
    if "id" in meta and not _ID.match(meta["id"]):
        msg = "id: use 1-48 letters, digits, '.', '_' or '-'"
        problems.append(Problem(str(path), at["id"], msg))
    return problems


def _front_matter(path: Path, text: str) -> tuple[dict[str, str], str, int, list[Problem]]:
    """Split a Markdown file into metadata, body and the body's first line number."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text, 1, [Problem(str(path), 1, "missing front matter: start with '---'")]
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        msg = "front matter opened at line 1 is never closed with '---'"
        return {}, "", 1, [Problem(str(path), 1, msg)]
    reader = YamlReader(path, "\n".join(lines[1:end]), first_line=2)
    if reader.problems:
        return {}, "", 1, reader.problems
    values, problems = _validate_meta(path, reader.data, 1, reader.lines)
    return values, "\n".join(lines[end + 1 :]), end + 2, problems


def _sidecar(path: Path) -> tuple[dict[str, str], list[Problem]]:
    side = path.with_name(path.stem + SIDECAR)
    if not side.exists():
        return {}, []
    text, problem = _decode(side, side.read_bytes())
    if problem:
        return {}, [problem]
    reader = YamlReader(side, text or "")
    if reader.problems:
        return {}, reader.problems
    return _validate_meta(side, reader.data, 1, reader.lines)


def _reads_as_title(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= 120 and not _SENTENCE_END.search(line) and not line.endswith(":")


def title_from_name(path: Path) -> str:
    """The title a source without one takes from its file name."""
    words = re.sub(r"[_\-]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def _text_title(path: Path, meta: dict[str, str], body: str) -> tuple[str, str, int]:
    """The title of a .txt source and its body without a leading title line."""
    first, _, rest = body.lstrip("\n").partition("\n")
    skipped = len(body) - len(body.lstrip("\n"))
    title = meta.get("title")
    if title is None and _reads_as_title(first):
        title = first.strip()
    if title is not None and first.strip().casefold() == title.casefold():
        return title, rest, skipped + 2
    return title or title_from_name(path), body, 1


def read_source(path: Path) -> tuple[Source | None, list[Problem], list[Problem]]:
    """Read one source file: the `Source`, its problems, and its warnings."""
    data = path.read_bytes()
    text, problem = _decode(path, data)
    if problem:
        return None, [problem], []
    assert text is not None
    if path.suffix.lower() == ".md":
        meta, body, first_line, problems = _front_matter(path, text)
        if not problems and "title" not in meta:
            problems.append(Problem(str(path), 1, "front matter has no 'title'"))
        title = meta.get("title", "")
    else:
        meta, problems = _sidecar(path)
        title, body, first_line = _text_title(path, meta, text)
    if problems:
        return None, problems, []
    cleaned = clean_text(body, title)
    if not cleaned.text.strip():
        return None, [Problem(str(path), first_line, "no text after the metadata")], []
    warnings = [
        Problem(str(path), first_line + n - 1, f"placeholder {p} left in the text")
        for n, p in find_placeholders(body)
    ]
    side = path.with_name(path.stem + SIDECAR)
    digest = hashlib.sha256(data + (side.read_bytes() if side.exists() else b"")).hexdigest()
    source = Source(
        id=meta.get("id", path.stem),
        title=title,
        text=cleaned.text,
        path=str(path),
        author=meta.get("author") or cleaned.bio_author,
        publisher=meta.get("publisher"),
        url=meta.get("url"),
        published=meta.get("published"),
        language=meta.get("language", "en"),
        digest=digest,
    )
    return source, [], warnings


def _orphan_sidecars(folder: Path) -> list[Problem]:
    problems = []
    stems = {p.stem for p in source_files(folder)}  # NAME.txt, NAME.TXT, NAME.md: any case
    for side in sorted(folder.glob("*" + SIDECAR)):
        stem = side.name[: -len(SIDECAR)]
        if stem not in stems and side.name[0] != ".":  # hidden files are skipped
            problems.append(Problem(str(side), 1, f"sidecar without a source file {stem}.txt"))
    return problems


def load_sources(folders: Iterable[Path]) -> LoadResult:
    """Read every source file of ``folders``; ids must be unique across them."""
    sources = SourceColumns()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    seen: dict[str, str] = {}
    for folder in folders:
        if not folder.is_dir():
            why = "is a file, not a folder" if folder.exists() else "does not exist"
            problems.append(Problem(str(folder), 1, f"knowledge folder {why}"))
            continue
        problems += _orphan_sidecars(folder)
        for path in source_files(folder):
            source, bad, warned = _read_safely(path)
            problems += bad
            warnings += warned
            if source is None:
                continue
            if source.id in seen:
                msg = f"duplicate source id {source.id!r} (also {seen[source.id]})"
                problems.append(Problem(str(path), 1, msg))
                continue
            seen[source.id] = str(path)
            sources.add(source)
    return LoadResult(sources.done(), tuple(problems), tuple(warnings))


def _read_safely(path: Path) -> tuple[Source | None, Sequence[Problem], Sequence[Problem]]:
    try:
        return read_source(path)
    except OSError as exc:
        return None, [Problem(str(path), 1, f"cannot read file: {exc.strerror or exc}")], []

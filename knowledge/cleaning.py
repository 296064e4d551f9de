"""Scraped-text clean-up: CSS, repeated titles, author bios, emphasis markers, placeholders."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Cleaned", "clean_text", "find_placeholders"]

# A line that is a run of CSS rules: `#pf-body #pf-title { margin: 0; }...`.
_CSS_RULE = re.compile(r"[#.@]?[\w\-#.:\s,>*\[\]=\"']+\{[^{}]*:[^{}]*\}")
# "***emphasis***", "**bold**", "*italic*" markers around text.
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,3}(?=\S)([^*\n]+?)(?<=\S)\*{1,3}(?![\w*])")
_BIO_HEADING = re.compile(r"^(about the authors?|authors?|written by)\s*:?\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[•·▪◦*\-–]\s*")
# Editorial placeholders left in scraped text: "[insert date]", "[TBD]", "[citation needed]".
_PLACEHOLDER = re.compile(r"\[(?:insert[^\]]*|tbd|tk|todo|citation needed|date|name)\]", re.I)
# The placeholder with the preposition that introduces it: "announced on [insert date]".
_PLACEHOLDER_PHRASE = re.compile(
    r"\s*\b(?:on|in|at|by)?\s*\[(?:insert[^\]]*|tbd|tk|todo|date|name)\]", re.I
)
_CITATION_NEEDED = re.compile(r"\s*\[citation needed\]", re.I)
_BLANKS = re.compile(r"[ \t]+")


class Cleaned(NamedTuple):
    """Cleaned body text and the author named by a bio block (if any)."""

    text: str
    bio_author: str | None


def is_css(line: str) -> bool:
    """True when ``line`` is made of CSS rules rather than prose."""
    stripped = line.strip()
    if "{" not in stripped or "}" not in stripped:
        return False
    leftover = _CSS_RULE.sub("", stripped).strip()
    return len(leftover) < 0.1 * len(stripped)


def find_placeholders(text: str) -> list[tuple[int, str]]:
    """Every editorial placeholder in ``text`` as (1-based line, placeholder)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        found += [(number, m.group()) for m in _PLACEHOLDER.finditer(line)]
    return found


@lru_cache(maxsize=64)
def _pasted_title(title: str) -> re.Pattern[str]:
    """``title`` pasted into the middle of a paragraph, standing between two sentences."""
    return re.compile(r"(?<=[.!?”\"])\s+" + re.escape(title) + r"\s+(?=[A-Z])")


def _strip_inline(line: str, title: str | None) -> str:
    # Each pattern runs only on lines that hold its telltale character: most lines hold none.
    if "*" in line:
        line = _EMPHASIS.sub(r"\1", line)
    if "[" in line:
        line = _PLACEHOLDER_PHRASE.sub("", line)
        line = _CITATION_NEEDED.sub("", line)
    if title and title in line:
        line = _pasted_title(title).sub(" ", line)
    return _BLANKS.sub(" ", line).strip() if "  " in line or "\t" in line else line.strip()


def _bio_start(lines: list[str]) -> int | None:
    """Index of an author-bio heading in the last part of the text, if there is one."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 15), -1):
        if _BIO_HEADING.match(lines[i].strip()):
            return i
    return None


def _bio_author(lines: list[str]) -> str | None:
    for line in lines[1:]:
        name = _BULLET.sub("", line).strip()
        if name:
            return name if len(name) <= 80 and not name.endswith(".") else None
    return None


def clean_text(raw: str, title: str | None = None) -> Cleaned:
    """Remove scraped junk from ``raw``: CSS lines, an author bio, repeated titles, markers.

    Args:
        raw: the body text as read from the file.
        title: the source's title; lines repeating it are dropped.
    """
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line for line in lines if not is_css(line)]
    bio_author = None
    start = _bio_start(lines)
    if start is not None:
        bio_author = _bio_author(lines[start:])
        lines = lines[:start]
    kept: list[str] = []
    folded_title = title.strip().casefold() if title else None
    for line in lines:
        text = _strip_inline(line, title)
        if folded_title and text.casefold() == folded_title:
            continue
        if text or (kept and kept[-1]):  # one blank line at most between paragraphs
            kept.append(text)
    while kept and not kept[-1]:
        kept.pop()
    return Cleaned("\n".join(kept), bio_author)

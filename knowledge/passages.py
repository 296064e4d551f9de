"""Cleaned source text to passages: sentence-aware, bounded in length, with section headings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.models import Passage, Source

__all__ = ["MAX_PASSAGE_CHARS", "sentence_spans", "split_passages"]

MAX_PASSAGE_CHARS = 700  # a paragraph longer than this is cut between sentences
TARGET_PASSAGE_CHARS = 450  # the size cut paragraphs aim for

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])([\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9\u0400-\u042f])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Gen|Col|Lt|Sgt|St|Jr|Sr|No|vs|etc|approx|e\.g|i\.e)"
    r"|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$"
)
_ABBREVIATION_WINDOW = 64  # characters before a break searched for an abbreviation
_BULLET = re.compile(r"^\s*(?:[-•·▪◦*–]|\d{1,2}[.)])\s+")
_HEADING_END = re.compile(r"[.!?…:;,]['\"”’)]?$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) offsets of the sentences of ``text`` (bullet lines are sentences)."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for brk in _SENTENCE_BREAK.finditer(text, line.start(), line.end()):
            # Only the last few characters can hold an abbreviation: linear in the text.
            tail = text[max(line.start(), brk.start() - _ABBREVIATION_WINDOW) : brk.start()]
            if _ABBREVIATION.search(tail.rstrip("\"”’')]")):
                continue
            spans.append((start, brk.start() + len(brk.group(1))))
            start = brk.end()
        if start < line.end():
            spans.append((start, line.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _is_heading(line: str, next_line: str | None) -> bool:
    line = line.strip()
    return (
        0 < len(line) <= 100
        and next_line is not None
        and len(next_line.strip()) > len(line)
        and not _BULLET.match(line)
        and not _HEADING_END.search(line)
        and line[:1].isupper()
    )


def _blocks(text: str) -> Iterator[tuple[str | None, str]]:
    """(section, block) pairs: paragraphs, with bullet lists kept together with their lead-in."""
    lines = [line.strip() for line in text.split("\n")]
    following: list[str | None] = [None] * len(lines)  # the next non-empty line after each
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] or following[i + 1]
    section: str | None = None
    block: list[str] = []
    for line, nxt in zip(lines, following, strict=True):
        is_bullet = bool(_BULLET.match(line))
        continues = is_bullet and block and (block[-1].endswith(":") or _BULLET.match(block[-1]))
        if block and not continues:
            yield section, "\n".join(block)
            block = []
        if not line:
            continue
        if _is_heading(line, nxt):
            section = line
            continue
        block.append(line)
    if block:
        yield section, "\n".join(block)


def _chunks(block: str) -> Iterator[str]:
    """``block`` itself, or sentence-aligned pieces of it, none over the cap, when too long."""
    if len(block) <= MAX_PASSAGE_CHARS:
        yield block
        return
    spans = sentence_spans(block)
    start = spans[0][0]
    for (_s, e), nxt in zip(spans, [*spans[1:], None], strict=True):
        too_long = nxt is not None and nxt[1] - start > TARGET_PASSAGE_CHARS
        if nxt is None or (too_long and e - start >= TARGET_PASSAGE_CHARS // 2):
            yield from _capped(block[start:e].strip())
            start = nxt[0] if nxt else e


def _capped(piece: str) -> Iterator[str]:
    """``piece`` in parts of at most `MAX_PASSAGE_CHARS`: cut at a space (in the second half if
    there is one there, else before a longer word), or in a word longer than the cap."""
    start = 0
    while len(piece) - start > MAX_PASSAGE_CHARS:
        end = start + MAX_PASSAGE_CHARS
        lowest = start + MAX_PASSAGE_CHARS // 2
        cut = max(piece.rfind(" ", lowest, end + 1), piece.rfind("\n", lowest, end + 1))
        if cut <= start:  # a very long word (a URL): cut before it rather than in a word
            cut = max(piece.rfind(" ", start + 1, end + 1), piece.rfind("\n", start + 1, end + 1))
        cut = cut if cut > start else end
        yield piece[start:cut].strip()
        start = cut
        while start < len(piece) and piece[start].isspace():
            start += 1
    if start < len(piece):
        yield piece[start:]


def split_passages(source: Source) -> list[Passage]:
    """Split one source into passages with stable ids ``<source id>#<position>``."""
    passages = []
    for section, block in _blocks(source.text):
        for chunk in _chunks(block):
            position = len(passages)
            passages.append(
                Passage(
                    id=f"{source.id}#{position}",
                    source_id=source.id,
                    position=position,
                    text=chunk,
                    section=section,
                )
            )
    return passages

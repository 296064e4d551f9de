"""Telegram's HTML parse mode, checked as strictly as the Bot API checks it.

Allowed: the tags of https://core.telegram.org/bots/api#html-style, properly nested, and
the entities ``&lt; &gt; &amp; &quot;`` plus numeric ones. A bare ``<`` or ``&`` that does
not start a tag or an entity is rejected, as Telegram asks. ``html.parser`` is too lenient
for this (it passes a bare ``<`` through as text), so the scan is explicit.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# tag -> attributes it may carry (None: any value; a set: these values only)
ALLOWED_TAGS: dict[str, dict[str, set[str] | None]] = {
    "b": {},
    "strong": {},
    "i": {},
    "em": {},
    "u": {},
    "ins": {},
    "s": {},
    "strike": {},
    "del": {},
    "tg-spoiler": {},
    "span": {"class": {"tg-spoiler"}},
    "a": {"href": None},
    "code": {"class": None},
    "pre": {},
    "blockquote": {"expandable": None},
    "tg-emoji": {"emoji-id": None},
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'|[^\s\"'<>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


class HtmlError(ValueError):
    """Text Telegram would refuse with "can't parse entities"."""


@dataclass(frozen=True)
class Parsed:
    """The text a user sees, and the tags that formatted it."""

    plain: str
    tags: tuple[str, ...]

    @property
    def length(self) -> int:
        """Length as Telegram counts it: UTF-16 code units (stricter than code points)."""
        return len(self.plain.encode("utf-16-le")) // 2


def _check_attrs(name: str, raw: str, offset: int) -> None:
    allowed = ALLOWED_TAGS[name]
    seen = {}
    for match in _ATTR.finditer(raw):
        attr = match.group(1).lower()
        value = next((g for g in match.groups()[1:] if g is not None), "")
        if attr not in allowed:
            raise HtmlError(
                f'Unsupported attribute "{attr}" of tag "{name}" at byte offset {offset}'
            )
        values = allowed[attr]
        if values is not None and value not in values:
            raise HtmlError(f'Unsupported value of attribute "{attr}" at byte offset {offset}')
        seen[attr] = html.unescape(value)
    if name == "a" and not seen.get("href"):
        raise HtmlError(f'Tag "a" must have attribute "href" at byte offset {offset}')


def _tag(text: str, pos: int, stack: list[str], tags: list[str]) -> int:
    """Check the tag at ``pos``, update the open ``stack``; returns where it ends."""
    match = _TAG.match(text, pos)
    if not match:
        raise HtmlError(f"Unexpected < at byte offset {len(text[:pos].encode())}")
    closing, name = match.group(1), match.group(2).lower()
    if name not in ALLOWED_TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {pos}')
    if closing:
        if not stack or stack[-1] != name:
            raise HtmlError(f'Unmatched end tag "</{name}>" at byte offset {pos}, open: {stack}')
        stack.pop()
    else:
        if name == "a" and "a" in stack:
            raise HtmlError(f"Nested links are not allowed at byte offset {pos}")
        _check_attrs(name, match.group(3), pos)
        stack.append(name)
        tags.append(name)
    return match.end()


def parse_html(text: str) -> Parsed:
    """Parse ``text`` as Telegram HTML.

    Raises:
        HtmlError: a tag or entity Telegram would reject, or tags not properly nested.
    """
    plain: list[str] = []
    stack: list[str] = []
    tags: list[str] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "<":
            pos = _tag(text, pos, stack, tags)
        elif text[pos] == "&":
            match = _ENTITY.match(text, pos)
            if not match:
                raise HtmlError(f"Character & must be escaped at byte offset {pos}")
            plain.append(html.unescape(match.group(0)))
            pos = match.end()
        else:
            stops = [i for i in (text.find("<", pos), text.find("&", pos)) if i >= 0]
            nxt = min(stops, default=len(text))
            plain.append(text[pos:nxt])
            pos = nxt
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return Parsed("".join(plain), tuple(tags))

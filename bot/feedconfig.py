"""The ``knowledge.feeds`` list and durations ("30m") read from the config; pure validation."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = ["FeedConfig", "Invalid", "parse_duration", "parse_feeds", "parse_seconds"]

MIN_EVERY_S = 60  # polling a feed more often than once a minute is rude to its server
MAX_EVERY_S = 30 * 86_400  # and a month is the longest wait (the JobQueue needs a real date)
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
FEED_KEYS = ("url", "every", "keywords")


class Invalid(ValueError):
    """A bad value at ``key``; bot.config turns it into ``ConfigError``."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One news feed to watch."""

    url: str
    every_s: int = 1800  # seconds between polls
    keywords: tuple[str, ...] | None = None  # an entry must name one; None: the taxonomy's names


def parse_duration(text: str) -> int | None:
    """Seconds in ``"45s"``, ``"30m"``, ``"2h"`` or ``"1d"``; None if it is not one of these."""
    match = _DURATION.match(text)
    return int(match[1]) * _UNITS[match[2]] if match else None


def duration_text(seconds: int) -> str:
    """``seconds`` as the config writes a duration, in its largest whole unit: 1440 min is 1d."""
    unit = next(u for u, size in sorted(_UNITS.items(), key=lambda i: -i[1]) if seconds % size == 0)
    return f"{seconds // _UNITS[unit]}{unit}"


def parse_seconds(key: str, value: Any, default: float = 10.0) -> float:
    """A positive number of seconds (e.g. ``knowledge.fetch_timeout``)."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise Invalid(key, "must be a finite number of seconds greater than 0")
    return float(value)


def parse_feeds(key: str, value: Any) -> tuple[FeedConfig, ...]:
    """The feed list: each item ``{url, every, keywords}``; urls must be distinct."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise Invalid(key, "must be a list of {url, every, keywords}")
    feeds = tuple(_feed(f"{key}[{i}]", item) for i, item in enumerate(value))
    urls = [f.url for f in feeds]
    for i, url in enumerate(urls):
        if url in urls[:i]:
            raise Invalid(f"{key}[{i}].url", f"{url} is listed twice")
    return feeds


def _feed(key: str, item: Any) -> FeedConfig:
    if not isinstance(item, dict):
        raise Invalid(key, "must be a mapping with url, every and keywords")
    for name in item:
        if name not in FEED_KEYS:
            raise Invalid(f"{key}.{name}", f"unknown key (known: {', '.join(FEED_KEYS)})")
    url = item.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://\S+$", url) or not _host(url):
        raise Invalid(f"{key}.url", "must be an http:// or https:// URL")
    every = item.get("every", "30m")
    seconds = parse_duration(every) if isinstance(every, str) else None
    if seconds is None:
        raise Invalid(f"{key}.every", "must be a duration like 30m, 2h or 1d")
    if seconds < MIN_EVERY_S:
        raise Invalid(f"{key}.every", "must be at least 1m")
    if seconds > MAX_EVERY_S:
        raise Invalid(f"{key}.every", "must be at most 30d")
    return FeedConfig(url, seconds, _keywords(f"{key}.keywords", item.get("keywords")))


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # "http://[::1": a bracketed host urllib cannot parse
        return ""


def _keywords(key: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise Invalid(key, "must be a non-empty list of words (or leave it out)")
    for i, word in enumerate(value):
        if not isinstance(word, str) or not word.strip():
            raise Invalid(f"{key}[{i}]", "must be a word or phrase")
    return tuple(w.strip() for w in value)

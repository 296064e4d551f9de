"""Reading one feed document with feedparser: its entries' links, keys and dates; no I/O."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import time
from urllib.parse import urljoin

import feedparser

__all__ = ["entry_date", "entry_fingerprint", "entry_key", "entry_updated", "parse_entries"]

_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
FUTURE_SLACK = dt.timedelta(days=1)  # UTC "today" is still yesterday east of Greenwich


def parse_entries(body: bytes, url: str) -> list[dict]:
    """The entries of the feed document ``body`` fetched from ``url`` that link to a page
    (a relative link is read against ``url``); ValueError if it is no feed.

    feedparser is lenient: a broken document still yields what it could read, so a feed
    counts as malformed only when it gives no usable entry.
    """
    parsed = feedparser.parse(body)  # no base URL: it would turn a guid into a URL too
    for entry in parsed.entries:
        if entry.get("link"):
            entry["link"] = urljoin(url, str(entry["link"]).strip())
    usable = [
        e for e in parsed.entries if str(e.get("link", "")).startswith(("http://", "https://"))
    ]
    if not usable and (parsed.bozo or not parsed.version):
        problem = type(parsed.get("bozo_exception", None)).__name__
        raise ValueError(f"malformed feed ({problem})" if parsed.bozo else "not a feed")
    return usable


def entry_key(entry: dict) -> str:
    """What the feed store remembers an entry by: its id, else its link."""
    return str(entry.get("id") or entry["link"])


def entry_fingerprint(entry: dict) -> str:
    """What the entry says of its article (title, summary, content) as 16 hex digits: it
    changes when the publisher corrects the entry, whether or not the feed gives an updated
    time. Runs of whitespace count as one space, so a reformatted feed is no edit."""
    parts = [entry.get("title", ""), entry.get("summary", "")]
    parts += [str(c.get("value", "")) for c in entry.get("content", ())]
    said = " ".join(" ".join(str(part).split()) for part in parts)
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


def entry_updated(entry: dict) -> str | None:
    """When the entry says it was last updated (feedparser's ``updated_parsed``), as UTC
    ``YYYY-MM-DDTHH:MM:SSZ`` (ordered as text); None when the feed gives no updated time."""
    parsed = dict.get(entry, "updated_parsed")  # dict.get: no alias to "published"
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def entry_date(entry: dict, today: dt.date | None = None) -> str | None:
    """The day the entry was published (else updated) as YYYY-MM-DD, on its publisher's
    calendar: "Sat, 28 Nov 2026 00:30 +0300" is the 28th, though it is the 27th in UTC.

    None when the feed gives no readable date, or a date after tomorrow (UTC, from
    ``today``): a typo or a placeholder must not become the newest source.
    """
    latest = (today or dt.datetime.now(dt.UTC).date()) + FUTURE_SLACK
    for key in ("published", "updated"):  # dict.get: no feedparser alias, no warning
        day = _day(str(dict.get(entry, key) or ""), dict.get(entry, f"{key}_parsed"))
        if day is not None:
            return day.isoformat() if day <= latest else None
    return None


def _day(raw: str, parsed: time.struct_time | None) -> dt.date | None:
    """The calendar day written in ``raw`` (RFC 822 or ISO 8601), else feedparser's (UTC)."""
    try:
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(raw.strip()).date()
    except ValueError:
        pass
    if parsed:
        return dt.date(*parsed[:3])
    dotted = _DOTTED.match(raw)  # "28.11.2026 00:30": Ukrainian and Russian sites' own format
    try:
        return dt.date(int(dotted[3]), int(dotted[2]), int(dotted[1])) if dotted else None
    except ValueError:
        return None

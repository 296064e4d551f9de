"""Checks of single config values: each returns what is wrong with a value, or ``""``.

:mod:`bot.config` says which key each check guards; these functions only judge a value.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "MAX_ROWS",
    "api_url",
    "expand",
    "folder",
    "host",
    "port",
    "positive",
    "rows",
    "secret",
    "webhook_url",
]

MAX_ROWS = 1_000_000_000  # rows a bounded SQLite table may keep (beyond: SQLite's own limits)
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_HOST = re.compile(r"[A-Za-z0-9.:_%-]+")  # a host name, an IPv4 or an IPv6 address


def port(value: int) -> str:
    """A TCP port."""
    return "" if 0 < value < 65536 else "must be between 1 and 65535"


def folder(value: str) -> str:
    """A folder path: not empty, not blank."""
    return "" if value.strip() else "must be a folder path, got an empty string"


def positive(value: int) -> str:
    """A count above zero."""
    return "" if value > 0 else "must be greater than 0"


def rows(value: int) -> str:
    """How many rows a table keeps: above zero and within what SQLite can count."""
    return positive(value) or ("" if value <= MAX_ROWS else f"must be at most {MAX_ROWS:,}")


def secret(value: str) -> str:
    """The webhook's secret token (empty: a random one per start)."""
    ok = not value or _SECRET_TOKEN.fullmatch(value)
    return "" if ok else "1-256 characters of A-Z, a-z, 0-9, _ and - only"


def host(value: str) -> str:
    """An address to bind: empty would bind every interface, so it must be named."""
    if _HOST.fullmatch(value):
        return ""
    got = "an empty string" if not value.strip() else repr(value)
    return f'must be a host name or IP address such as "127.0.0.1" or "0.0.0.0", got {got}'


def _url_with_host(value: str, schemes: tuple[str, ...]) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme in schemes and bool(parts.hostname) and not re.search(r"\s", value)
    except ValueError:  # "https://[::1" and other netlocs urllib cannot parse
        return False


def api_url(value: str) -> str:
    """The Bot API's base URL (the token is appended to it)."""
    usable = _url_with_host(value, ("http", "https"))
    return "" if usable else "must be an http(s):// URL with a host and no spaces"


def webhook_url(value: str) -> str:
    """The public URL Telegram posts updates to (empty: long polling)."""
    if not value or _url_with_host(value, ("https",)):
        return ""
    if not value.lower().startswith("https://"):
        return "must be an https:// URL (Telegram only posts to HTTPS)"
    return "must be an https:// URL with a host and no spaces"


def expand(text: str) -> tuple[Path | None, str]:
    """``text`` as a path with ``~`` expanded, or None and why it cannot be."""
    try:
        return Path(text).expanduser(), ""
    except RuntimeError:  # "~nosuchuser/x": no such user, or no home folder
        user = text.split("/", 1)[0]
        return None, f"cannot expand {user!r}: no such user or home folder"

"""Logging set-up, done once in ``run``: token redaction and quiet HTTP client loggers."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO

# "bot123456:AA..." in URLs, and a bare "123456:AA..." token anywhere.
TOKEN_PATTERN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "[REDACTED]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = ("httpx", "httpcore")  # httpx logs every request URL, token included, at INFO


class RedactingFilter(logging.Filter):
    """Rewrites each record so neither its message nor its traceback shows a secret.

    Exceptions of the ``terse`` types lose their traceback: they are outside events (a
    rejected token) that ``run`` reports in one line of its own.
    """

    def __init__(
        self, secrets: Iterable[str] = (), terse: tuple[type[BaseException], ...] = ()
    ) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)
        self.terse = terse

    def redact(self, text: str) -> str:
        """``text`` with every token and configured secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message, the exception text and the stack; keep the record."""
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and isinstance(record.exc_info[1], self.terse):
            record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__})"
            record.exc_info = record.exc_text = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(
    secrets: Iterable[str] = (),
    level: int = logging.INFO,
    stream: TextIO | None = None,
    terse: tuple[type[BaseException], ...] = (),
) -> logging.Handler:
    """Log to ``stream`` (stderr) through the redacting filter; returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(secrets, terse))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler

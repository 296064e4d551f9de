"""Logging set-up: the token never reaches a log line, httpx stays quiet."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import REDACTED, RedactingFilter, setup_logging

TOKEN = "987654321:AAHsecretsecretsecretsecret_xyz"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = setup_logging(secrets=("short-secret",), level=logging.DEBUG, stream=out)
    yield out
    logging.getLogger().removeHandler(handler)


def test_token_in_message_args_is_redacted(stream: io.StringIO) -> None:
    logging.getLogger("telegram.ext").warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    text = stream.getvalue()
    assert TOKEN not in text and "secretsecret" not in text
    assert f"https://api.telegram.org/bot{REDACTED}/getMe" in text


def test_configured_secret_and_traceback_are_redacted(stream: io.StringIO) -> None:
    try:
        raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage with short-secret")
    except RuntimeError:
        logging.getLogger("bot.app").exception("update failed")
    text = stream.getvalue()
    assert "Traceback" in text and "RuntimeError" in text
    assert TOKEN not in text and "short-secret" not in text


def test_httpx_request_lines_are_silenced(stream: io.StringIO) -> None:
    logging.getLogger("httpx").info('HTTP Request: POST https://x/bot%s/getUpdates "200"', TOKEN)
    assert stream.getvalue() == ""
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING


def test_filter_keeps_unrelated_numbers() -> None:
    redact = RedactingFilter().redact
    assert redact("12:30 meeting, id 123456") == "12:30 meeting, id 123456"

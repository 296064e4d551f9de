"""Fixtures of the deployment tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.fake_bot_api import FakeBotApi


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A fake Bot API (the health probe's bot never calls it)."""
    with FakeBotApi() as server:
        yield server

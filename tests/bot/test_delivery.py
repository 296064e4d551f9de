"""RetryingRequest against the fake Bot API: which refusals end the run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram import Bot
from telegram.error import InvalidToken, TimedOut

from bot.delivery import RetryingRequest
from tests.helpers.fake_bot_api import TOKEN, FakeBotApi


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


async def post(api: FakeBotApi, method: str) -> list[InvalidToken]:
    """Call ``method``; returns the refusals reported as a rejected token."""
    rejected: list[InvalidToken] = []
    request = RetryingRequest(retries=0, on_rejected=rejected.append)
    await request.initialize()
    try:
        with pytest.raises(InvalidToken):
            await request.post(f"{api.base_url}{TOKEN}/{method}")
    finally:
        await request.shutdown()
    return rejected


async def test_a_revoked_token_is_reported_whatever_the_call(api: FakeBotApi) -> None:
    api.revoke_token()
    assert len(await post(api, "sendMessage")) == 1


async def test_a_method_the_server_lacks_is_not_a_rejected_token(api: FakeBotApi) -> None:
    assert await post(api, "sendSomethingNew") == []  # 404 from a server without that method


async def test_a_message_whose_reply_came_late_is_not_sent_twice(api: FakeBotApi) -> None:
    request = RetryingRequest(retries=3, backoff=0.01, read_timeout=0.3)
    bot = Bot(TOKEN, base_url=api.base_url, request=request)
    async with bot:
        api.answer_late("sendMessage", 1.0)
        with pytest.raises(TimedOut):  # it may have arrived: sending again could double it
            await bot.send_message(1001, "hello")
        api.answer_late("getMe", 1.0)  # asking again changes nothing: it is retried
        assert (await bot.get_me()).is_bot
    assert len(api.requests("sendMessage")) == 1 and len(api.requests("getMe")) == 3

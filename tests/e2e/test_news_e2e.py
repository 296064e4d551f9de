"""Adding articles by URL end to end: /add, the "Add as source" button, refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Config
from tests.e2e.conftest import ADMIN, Running, fetching, plain
from tests.helpers import updates
from tests.helpers.web_server import ARTICLE_QUESTION, ARTICLE_TITLE, Route, WebServer, page

QUESTION, TITLE = ARTICLE_QUESTION, ARTICLE_TITLE


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        server.route("/article.html", Route(page("article.html")))
        server.route("/menu.html", Route(page("no_article.html")))
        yield server


@pytest.fixture
def config(config: Config) -> Config:
    return fetching(config)


async def test_admin_add_then_the_answer_cites_the_article_with_its_date(
    bot: Running, web: WebServer, config: Config
) -> None:
    assert TITLE not in await bot.say(QUESTION)
    report = await bot.say(f"/add {web.url('/article.html')} {web.url('/menu.html')}", ADMIN)
    assert f"added: {TITLE} (2026-11-20)" in report
    assert f"{web.url('/menu.html')}: no article text found on the page" in report
    assert "Reloaded" in report
    answer = await bot.say(QUESTION)
    assert f"— {TITLE}, Olena Marchuk, Harbour Gazette, 2026-11-20" in answer
    assert "Bulgarian and Romanian harbour inspectors" in answer
    again = await bot.say(f"/add {web.url('/article.html')}", ADMIN)
    assert f"already known: {TITLE}" in again and "Reloaded" not in again
    assert len(list(config.storage.sources_dir.iterdir())) == 1


async def test_non_admin_add_is_refused_and_fetches_nothing(bot: Running, web: WebServer) -> None:
    assert "only the bot's admins" in await bot.say(f"/add {web.url('/article.html')}")
    assert web.requests == []
    assert "/add URL" in await bot.say("/add", ADMIN)


async def test_a_lone_url_offers_a_button_to_admins_only(
    bot: Running, web: WebServer, config: Config
) -> None:
    url = web.url("/article.html")
    offer = await bot.send(updates.message(url, chat_id=ADMIN, user_id=ADMIN), chat_id=ADMIN)
    assert plain(offer) == "Add this page as a source?"
    button = offer.params["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Add as source"
    forged = updates.callback(button["callback_data"], offer.result, user_id=1001)
    bot.api.push(forged)
    refusal = await bot.wait_for(lambda: bot.api.requests("answerCallbackQuery"))
    assert refusal[0].params["text"] == "Sorry, only the bot's admins can do that."
    pressed = updates.callback(button["callback_data"], offer.result, user_id=ADMIN)
    done = await bot.send(pressed, chat_id=ADMIN)
    assert f"added: {TITLE}" in plain(done) and done.method == "editMessageText"
    assert [p.name[:9] for p in config.storage.sources_dir.iterdir()] == ["Black_Sea"]
    # anyone else's URL is just a question
    reply = await bot.say(url)
    assert "Add this page" not in reply

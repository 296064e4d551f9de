import pytest

from knowledge.language.courtesy import asks_about_the_bot, is_courtesy, is_greeting


@pytest.mark.parametrize(
    "text", ["thanks!", "Thank you very much 👍", "ok", "got it, thx", "Дякую!", "Спасибо большое"]
)
def test_thanks_and_acknowledgements_are_courtesy(text: str) -> None:
    assert is_courtesy(text)


@pytest.mark.parametrize(
    "text",
    ["ok?", "thanks, and Ukraine?", "Спасибо, а Турция?", "great, what about Turkey", "2", "👍"],
)
def test_anything_that_asks_is_not(text: str) -> None:
    assert not is_courtesy(text)


@pytest.mark.parametrize("text", ["hi", "Hello there!", "Good morning", "Привіт", "Добрый день"])
def test_greetings(text: str) -> None:
    assert is_greeting(text) and not asks_about_the_bot(text)


@pytest.mark.parametrize(
    "text", ["help", "how do I use this bot?", "what can you do?", "як користуватися ботом?"]
)
def test_questions_about_the_bot(text: str) -> None:
    assert asks_about_the_bot(text) and not is_greeting(text)


@pytest.mark.parametrize(
    "text",
    ["Hi, what does Russia demand?", "how does the ceasefire work?", "what can Turkey do?", "day"],
)
def test_questions_about_the_talks_are_neither(text: str) -> None:
    assert not is_greeting(text) and not asks_about_the_bot(text) and not is_courtesy(text)

import pytest

from knowledge.language.courtesy import is_courtesy


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

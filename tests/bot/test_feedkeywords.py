"""Feed entries about the talks name a keyword, in any inflection; other news does not."""

from __future__ import annotations

import pytest

from bot.feedkeywords import default_keywords, mentions
from knowledge.language.detect import shipped_taxonomy


def test_keywords_match_inflected_words_not_word_starts() -> None:
    assert mentions(["Russia"], "Russia's envoys") and mentions(["минськ"], "Мінськ, Минськ")
    assert mentions(["Россия"], "Переговоры России и Украины")
    assert mentions(["Туреччина"], "Зустріч у Туреччині") and mentions(["ceasefire"], "Ceasefires")
    assert mentions(["United Nations"], "the United Nations' envoy")
    assert not mentions(["United Nations"], "nations united")
    assert not mentions(["UN"], "a fun run") and not mentions(["ЕС"], "Если есть время")
    # a keyword of stopwords only must stand as written
    assert mentions(["US"], "US envoy arrives") and not mentions(["US"], "join us")


@pytest.mark.parametrize(
    "title",
    [
        "Putin and Zelensky agree to a ceasefire in Donbas",
        "Kremlin statement on the talks",
        "Kyiv swaps 300 prisoners",
        "Зеленський прибув до Києва",
        "Переговоры в Москве",
    ],
)
def test_by_default_an_entry_naming_a_stakeholder_any_way_is_about_the_talks(title: str) -> None:
    assert mentions(default_keywords(shipped_taxonomy()), title)


@pytest.mark.parametrize("title", ["Arsenal beat Chelsea", "Погода: если завтра дождь"])
def test_by_default_other_news_is_not(title: str) -> None:
    assert not mentions(default_keywords(shipped_taxonomy()), title)

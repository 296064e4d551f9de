"""Cyrillic words to comparable stems; telling Ukrainian from Russian."""

from __future__ import annotations

import pytest

from knowledge.language.cyrillic import (
    cyrillic_words,
    detect_language,
    mixed_tokens,
    stem_cyrillic,
    telltale_language,
    ukrainian_to_russian,
)


@pytest.mark.parametrize(
    ("ukrainian", "respelt"),
    [
        ("переговорів", "переговоров"),  # genitive plural -ів
        ("полоненими", "полонеными"),  # instrumental plural -ими
        ("вимагає", "вымагает"),  # 3rd person singular -є
        ("вимагають", "вымагают"),  # 3rd person plural -ють
        ("відповідальність", "видповидальность"),  # -ість
        ("посередники", "посередныки"),  # Russian spells ки, not кы
        ("українські", "украински"),  # ськ -> ск
    ],
)
def test_ukrainian_is_respelt_with_russian_letters_and_endings(ukrainian, respelt):
    assert ukrainian_to_russian(ukrainian) == respelt


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [("Україна", "Украина"), ("Зеленський", "Зеленский"), ("Стамбулі", "Стамбуле")],
)
def test_same_stem_in_both_languages(ukrainian, russian):
    assert stem_cyrillic(ukrainian, "uk") == stem_cyrillic(russian, "ru")


def test_inflections_share_a_stem():
    assert len({stem_cyrillic(w, "uk") for w in ("вимагає", "вимагають", "вимагати")}) == 1
    assert len({stem_cyrillic(w, "ru") for w in ("переговоры", "переговорах", "переговоров")}) == 1
    assert stem_cyrillic("перемир'я", "uk") == stem_cyrillic("перемир’я", "uk")  # apostrophes


def test_telltale_letters_and_words():
    assert telltale_language("Що відбувається?") == "uk"
    assert telltale_language("Что происходит?") == "ru"
    assert telltale_language("Минск 2015") is None
    assert detect_language("Минск 2015") == "ru"
    assert detect_language("Minsk 2015") == "en"


def test_mixed_tokens_keep_latin_and_digits_and_drop_stopwords():
    assert mixed_tokens("Мінськ-2 and NATO", "uk", frozenset()) == ["минск", "2", "nato"]
    assert mixed_tokens("в Стамбулі", "uk", frozenset({"в"})) == ["стамбул"]
    assert cyrillic_words("Hello, Київ і Москва!") == ["київ", "і", "москва"]

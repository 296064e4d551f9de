"""One stemmer per language; tokenize uses it; telling Ukrainian from Russian."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

import knowledge.language
from knowledge.language.detect import detect_language, telltale_language
from knowledge.language.stem import stem, stem_cyrillic, ukrainian_to_russian, without_possessive
from knowledge.language.tokenize import cyrillic_words, tokenize


@pytest.mark.parametrize(
    ("ukrainian", "respelt"),
    [
        ("переговорів", "переговоров"),  # genitive plural -ів
        ("полоненими", "полонеными"),  # instrumental plural -ими
        ("мінськими", "минскими"),  # the same after к/г/х
        ("вимагає", "вымагает"),  # 3rd person singular -є
        ("вимагають", "вымагают"),  # 3rd person plural -ють
        ("відповідальність", "видповидальность"),  # -ість
        ("посередники", "посередныки"),  # Russian spells ки, not кы
        ("українські", "украински"),  # ськ -> ск
        ("української", "украинской"),  # feminine genitive -ої
    ],
)
def test_ukrainian_is_respelt_with_russian_letters_and_endings(ukrainian, respelt):
    assert ukrainian_to_russian(ukrainian) == respelt


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [
        ("Україна", "Украина"),
        ("Зеленський", "Зеленский"),
        ("Стамбулі", "Стамбуле"),
        ("українськими", "украинскими"),
    ],
)
def test_same_stem_in_both_languages(ukrainian, russian):
    assert stem_cyrillic(ukrainian, "uk") == stem_cyrillic(russian, "ru")


def test_inflections_share_a_stem():
    assert len({stem_cyrillic(w, "uk") for w in ("вимагає", "вимагають", "вимагати")}) == 1
    assert len({stem_cyrillic(w, "uk") for w in ("українська", "української", "український")}) == 1
    assert len({stem_cyrillic(w, "ru") for w in ("переговоры", "переговорах", "переговоров")}) == 1
    assert stem_cyrillic("перемир'я", "uk") == stem_cyrillic("перемир’я", "uk")  # apostrophes


def test_telltale_letters_and_words():
    assert telltale_language("Що відбувається?") == "uk"
    assert telltale_language("Что происходит?") == "ru"
    assert telltale_language("Минск 2015") is None
    assert detect_language("Минск 2015") == "ru"
    assert detect_language("Minsk 2015") == "en"


def test_tokens_in_a_language_keep_latin_and_digits_and_drop_stopwords():
    assert tokenize("Мінськ-2 and NATO", "uk") == ["минск", "2", "nato"]
    assert tokenize("в Стамбулі", "uk", frozenset({"в"})) == ["стамбул"]
    assert cyrillic_words("Hello, Київ і Москва!") == ["київ", "і", "москва"]


@pytest.mark.parametrize("word", ["переговорів", "Стамбулі", "українські", "вимагає", "перемир'я"])
def test_tokenize_and_the_ukrainian_stemmer_agree(word):
    # one stemmer per language: a Ukrainian word in plain text stems as the uk stemmer does
    assert tokenize(word) == tokenize(word, "uk") == [stem_cyrillic(word, "uk")]
    assert tokenize("переговорів") == ["переговор"]


@pytest.mark.parametrize("word", ["переговоров", "переговорах", "Стамбуле", "перемирие"])
def test_tokenize_and_the_russian_stemmer_agree(word):
    assert tokenize(word) == tokenize(word, "ru") == [stem_cyrillic(word, "ru")]


def test_a_cyrillic_word_of_no_stated_language_goes_by_its_letters():
    assert stem("київ") == stem_cyrillic("київ", "uk")  # ї: Ukrainian
    assert stem("москва") == stem_cyrillic("москва", "ru")  # no Ukrainian-only letter
    assert stem("talks") == stem("talks", "uk") == "talk"  # Latin words are English whatever


def test_there_is_one_language_detector():
    package = Path(knowledge.language.__file__).parent
    names = [f"knowledge.language.{p.stem}" for p in package.glob("*.py")]
    modules = [importlib.import_module(name) for name in names]
    # others import it to use it; only detect defines it
    defined = [m.__name__ for m in modules if getattr(m, "detect_language", None) is not None]
    owners = {sys.modules[n].detect_language.__module__ for n in defined}
    assert owners == {"knowledge.language.detect"}


@pytest.mark.parametrize(
    ("word", "bare"),
    [("russia's", "russia"), ("ukraine’s", "ukraine"), ("o'clock", "o'clock"), ("talks", "talks")],
)
def test_without_possessive_drops_only_a_possessive_ending(word, bare):
    assert without_possessive(word) == bare

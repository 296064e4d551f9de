"""Everyday rarity of words: what an unknown word in a question says about it."""

import pytest

from knowledge.language.frequency import MAX_INFORMATION, information


def test_rare_words_say_more_than_common_ones():
    assert information("the") < information("population") < information("hryvnia")


def test_a_word_no_list_has_weighs_the_most():
    assert information("zxqvbnm") == MAX_INFORMATION


def test_case_does_not_matter():
    assert information("Population") == information("population")


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_cyrillic_words_are_looked_up_in_their_language(language):
    common = {"uk": "який", "ru": "какой"}[language]
    assert information(common, language) < information("перемовник", language)
    assert information(common, language) < MAX_INFORMATION - 2


def test_a_latin_word_in_a_ukrainian_question_is_english():
    assert information("nato", "uk") == information("nato", "en")

"""Questions that ask for a number or a date, in three languages, and texts that state one."""

from __future__ import annotations

import pytest

from knowledge.language.quantity import asks_for_quantity, states_quantity


@pytest.mark.parametrize(
    "question",
    [
        "When did the talks resume?",
        "how many prisoners were exchanged",
        "How much aid did the EU send?",
        "In which year was the memorandum signed?",
        "And when will they meet again?",
        "Коли відбудеться третій раунд?",
        "скільки людей загинуло",
        "У якому році підписали угоду?",
        "Когда начались переговоры?",
        "в каком году был подписан протокол",
    ],
)
def test_questions_asking_for_a_count_or_a_date(question: str) -> None:
    assert asks_for_quantity(question)


@pytest.mark.parametrize(
    "question",
    [
        "What does Russia demand?",
        "How long is the front line?",  # a length as often as a time
        "Why did the talks fail whenever they started?",
        "Tell me when the talks resume",  # the question word does not open it
        "Коли-небудь",  # not the word "коли" alone
        "Хто посередник?",
    ],
)
def test_other_questions_do_not(question: str) -> None:
    assert not asks_for_quantity(question)


def test_a_text_states_a_number_by_digit_word_or_month() -> None:
    assert states_quantity("Russia annexed Crimea in 2014.")
    assert states_quantity("Two options for a truce were offered.")
    assert states_quantity("Talks resumed in May.")
    assert states_quantity("Hundreds of lives were lost.")
    assert not states_quantity("Both sides may meet again soon; no date is set.")
    assert not states_quantity("Someone said it was done.")  # "one" inside a word

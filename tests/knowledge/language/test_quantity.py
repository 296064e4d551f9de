"""Questions that ask for a count or a date, in three languages, and texts that state one."""

from __future__ import annotations

import pytest

from knowledge.language.quantity import asked_quantity, states_quantity


@pytest.mark.parametrize(
    ("question", "quantity"),
    [
        ("When did the talks resume?", "date"),
        ("how many prisoners were exchanged", "count"),
        ("How much aid did the EU send?", "count"),
        ("How old is the Minsk format?", "date"),
        ("In which year was the memorandum signed?", "date"),
        ("And when will they meet again?", "date"),
        ("Коли відбудеться третій раунд?", "date"),
        ("скільки людей загинуло", "count"),
        ("У якому році підписали угоду?", "date"),
        ("Когда начались переговоры?", "date"),
        ("Сколько стоит билет?", "count"),
        ("в каком году был подписан протокол", "date"),
        ("What is the population of Odesa?", "count"),  # what a measure is
        ("whats the current population of lviv", "count"),
        ("population of Kharkiv?", "count"),
        ("lviv population", "count"),  # a keyword query
        ("Яка ціна хліба в Харкові?", "count"),
        ("какая средняя зарплата в Польше", "count"),
        # an auxiliary after "when" asks when, whatever follows the comma
        ("When did the delegations meet, who came?", "date"),
    ],
)
def test_questions_asking_for_a_count_or_a_date(question: str, quantity: str) -> None:
    assert asked_quantity(question) == quantity


@pytest.mark.parametrize(
    "question",
    [
        "What does Russia demand?",
        "How long is the front line?",  # a length as often as a time
        "Why did the talks fail whenever they started?",
        "Tell me when the talks resume",  # the question word does not open it
        "Коли-небудь",  # not the word "коли" alone
        "Хто посередник?",
        # a measure named, but not asked for
        "I run a bakery and flour prices keep rising, so will the talks change anything?",
        "Which populations suffer most?",
        "How is the civilian population affected by the war?",
        "What is the civilian population going through?",
        "population affected by the war",
        "What price are civilians paying for this war?",
        "Чи постраждало населення від обстрілів?",
        # a "when" clause before the question asks no date
        "When a truce breaks down, who is blamed?",
        "When shelling resumes, what happens to the talks?",
        "Коли переговори зриваються, хто винен?",
        "Когда обмен срывается, что говорит Москва?",
    ],
)
def test_other_questions_do_not(question: str) -> None:
    assert asked_quantity(question) is None


def test_a_date_is_a_number_or_a_month() -> None:
    assert states_quantity("Russia annexed Crimea in 2014.", "date")
    assert states_quantity("Talks resumed in May.", "date")
    assert not states_quantity("Both sides may meet again soon; no date is set.", "date")


def test_a_count_is_a_number_but_not_a_year() -> None:
    assert states_quantity("Two options for a truce were offered.", "count")
    assert states_quantity("Hundreds of lives were lost.", "count")
    assert states_quantity("About 1,200 prisoners were exchanged.", "count")
    assert not states_quantity("The Istanbul talks of 2022 set up a temporary truce.", "count")
    assert not states_quantity("Someone said it was done in May.", "count")  # "one" in a word


def test_ukrainian_and_russian_months_and_numbers_are_stated_but_not_their_homonyms() -> None:
    for text in ("Наступна зустріч запланована на грудень.", "у травні", "в декабре", "в мае"):
        assert states_quantity(text, "date"), text
    for text in ("червоний прапор", "квітка", "груди", "майбутнє переговорів"):
        assert not states_quantity(text, "date"), text
    assert states_quantity("Обміняли сотні полонених.", "count")
    assert states_quantity("Освободили тысячи пленных.", "count")
    assert not states_quantity("Переговори в Стамбулі у 2022 році.", "count")

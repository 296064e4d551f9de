"""Reading a question into a `Query`: language, English search terms, names, what it asks for."""

import pytest

from knowledge.question import read_question


def read(shipped, question: str):
    return read_question(question, shipped.analyzer, shipped.taxonomy, shipped.options)


def test_an_english_question_keeps_its_words_and_names(shipped):
    query = read(shipped, "What did Erdogan offer in Istanbul?")
    assert query.language == "en"
    assert {"erdogan", "istanbul"} <= set(query.terms) and "erdogan" in query.names
    assert query.quantity is None


def test_a_ukrainian_question_is_read_in_english_words(shipped):
    query = read(shipped, "Коли почалися переговори в Стамбулі?")
    assert query.language == "uk"
    assert "istanbul" in query.terms and query.english
    assert query.quantity == "date"


def test_a_question_about_a_partys_position_carries_it(shipped):
    assert read(shipped, "What does Russia demand?").positions == {"position:russia"}
    assert read(shipped, "What did Russia and Ukraine discuss?").positions == frozenset()


def test_a_ukrainian_or_russian_question_names_the_party_after_its_demand(shipped):
    # their word order: "вимагає Україна" (demands Ukraine), "требования России" (of Russia)
    assert read(shipped, "Що вимагає Україна?").positions == {"position:ukraine"}
    assert read(shipped, "требования России по Крыму").positions == {"position:russia"}
    assert read(shipped, "Чого вимагає Україна від Росії?").positions == {"position:ukraine"}
    assert read(shipped, "Что Россия требует от Украины?").positions == {"position:russia"}
    assert read(shipped, "Коли Україна і Росія почали переговори?").positions == frozenset()


def test_a_question_asking_how_many_asks_for_a_count(shipped):
    assert read(shipped, "how many prisoners were exchanged").quantity == "count"


@pytest.mark.parametrize("name", ["America", "Washington", "Biden"])
def test_a_name_the_sources_never_use_finds_what_they_say_of_its_entry(shipped, name):
    query = read(shipped, f"What role does {name} play in the talks?")
    assert query.entities[name.lower()] == {"stakeholder:us"}
    answer = shipped.ask(f"What role does {name} play in the talks?")
    assert any(us in answer.excerpts[0].text for us in ("The United States", "with the US."))

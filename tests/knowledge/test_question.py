"""Reading a question into a `Query`: language, English search terms, names, what it asks for."""

import pytest

from knowledge.features import PRODUCT
from knowledge.question import CONTEXT_WEIGHT, asking_part, read_question


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


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("My family is in Kharkiv. What was agreed in Istanbul?", "What was agreed in Istanbul?"),
        ("I teach history. Who mediates? I need it for class.", "Who mediates?"),
        ("Мій дід живе в Харкові. Чого вимагає Росія?", "Чого вимагає Росія?"),
        ("What did Russia demand?", None),  # one sentence
        ("Who mediates? Where did they meet?", None),  # every sentence asks
        ("My family is in Kharkiv. Tell me about Istanbul.", None),  # none asks
        ("Why did the U.S. leave the talks?", None),  # an abbreviation ends no sentence
    ],
)
def test_the_asking_part_is_the_sentences_with_a_question_mark(question, part):
    assert asking_part(question) == part


def test_words_of_a_sentence_that_only_tells_weigh_less(shipped):
    for told in (
        "My grandmother lives in Kharkiv. What was agreed in Istanbul?",
        "Мій дід живе в Харкові. Чого вимагає Росія?",
    ):
        query = read(shipped, told)
        whole = read_question(told, shipped.analyzer, shipped.taxonomy, PRODUCT.without("context"))
        asked = set(read(shipped, asking_part(told)).terms)
        assert query.terms == whole.terms and asked < set(query.terms)
        for term in query.terms:
            share = 1.0 if term in asked else CONTEXT_WEIGHT
            assert query.weights[term] == pytest.approx(share * whole.weights[term])


@pytest.mark.parametrize("name", ["America", "Washington", "Biden"])
def test_a_name_the_sources_never_use_finds_what_they_say_of_its_entry(shipped, name):
    query = read(shipped, f"What role does {name} play in the talks?")
    assert query.entities[name.lower()] == {"stakeholder:us"}
    answer = shipped.ask(f"What role does {name} play in the talks?")
    assert any(us in answer.excerpts[0].text for us in ("The United States", "with the US."))

"""follow_up: a short reply keeps the previous question's topic; a full question stays itself."""

from __future__ import annotations

import pytest

import knowledge
from knowledge import FollowUp, follow_up, refers_back
from knowledge.language.detect import shipped_taxonomy


@pytest.fixture(scope="module")
def taxonomy():
    return shipped_taxonomy()


@pytest.mark.parametrize(
    ("previous", "reply", "combined"),
    [
        # English: the reply's name takes the place of the same kind of name
        ("What does Russia demand?", "and Ukraine?", "What does Ukraine demand?"),
        ("What does Russia demand?", "what about Turkey?", "What does Turkey demand?"),
        ("What does the Kremlin demand?", "How about Kyiv?", "What does the Kyiv demand?"),
        ("When did the Minsk II talks happen?", "and Istanbul?",
         "When did the Istanbul talks happen?"),
        ("What did Russia and Ukraine agree in Istanbul?", "and Minsk 2015?",
         "What did Russia and Ukraine agree in Minsk 2015?"),
        ("What does Ukraine want?", "and the United Nations?", "What does United Nations want?"),
        ("What does Ukraine want?", "and the US?", "What does US want?"),  # not the pronoun
        ("What does Ukraine want?", "what about the U.S.?", "What does U.S want?"),
        # nothing of that kind before: the reply is added as written
        ("What does Russia demand?", "and in Istanbul?", "What does Russia demand in Istanbul?"),
        # a question word alone asks it of the same topic
        ("What does Russia demand?", "why?", "Why does Russia demand?"),
        ("Minsk 2015", "when?", "When Minsk 2015"),
        # Ukrainian and Russian, and a reply in another language than the question
        ("Що вимагає Росія?", "а Україна?", "Що вимагає Україна?"),
        ("Чого хоче Україна?", "а як щодо Туреччини?", "Чого хоче Туреччина?"),
        ("Що вимагає Росія?", "чому?", "Чому вимагає Росія?"),
        ("Что требует Россия?", "а что насчёт Турции?", "Что требует Турция?"),
        ("Что требует Россия?", "а Украина?", "Что требует Украина?"),
        ("What does Russia demand?", "а Україна?", "What does Ukraine demand?"),
        ("What does Russia demand?", "а что насчёт Турции?", "What does Turkey demand?"),
        ("What does Russia demand?", "what about America", "What does America demand?"),
        ("Що вимагає Росія?", "and Ukraine?", "Що вимагає Україна?"),  # not "вимагає Ukraine"
        ("Что требует Россия?", "and Turkey?", "Что требует Турция?"),
        # a topic's name heads a reply ("Гарантії безпеки"); in a question the words stay
        ("Що вимагає Росія щодо санкцій?", "а гарантії безпеки?",
         "Що вимагає Росія щодо гарантії безпеки?"),
    ],
)  # fmt: skip
def test_a_short_reply_keeps_the_topic(taxonomy, previous, reply, combined) -> None:
    assert follow_up(previous, reply, taxonomy) == FollowUp(combined, True)


@pytest.mark.parametrize(
    ("previous", "reply", "combined"),
    [
        ("/demands russia", "and Ukraine?", "/demands ukraine"),
        ("/demands russia", "а Україна?", "/demands ukraine"),
        ("вимоги росії", "а України?", "/demands ukraine"),
        ("/outcomes", "and Istanbul?", "/outcomes Istanbul"),
        ("/outcomes minsk", "а в Стамбуле?", "/outcomes Стамбуле"),
        ("/stakeholders turkey", "what about the UN?", "/stakeholders un"),
        ("/demands russia", "why?", "/demands russia"),
        # a name of another kind leaves the structured command for a plain question
        ("/demands russia", "what about sanctions?", "demands russia sanctions"),
    ],
)
def test_a_structured_answer_follows_with_a_new_argument(taxonomy, previous, reply, combined):
    assert follow_up(previous, reply, taxonomy) == FollowUp(combined, True)


@pytest.mark.parametrize(
    "reply",
    [
        "What did Turkey propose at the second round in Istanbul?",
        "what does ukraine demand?",
        "who mediates the talks?",
        "Які гарантії безпеки просить Україна?",
        "Кто посредничает на переговорах?",
        "thanks",
        "ok",
        "",
        "/demands ukraine",
        "and what does Ukraine want?",
        "what about Brazil",  # no name the taxonomy knows
        "а Україна чого хоче?",
        "and the other side?",
    ],
)
def test_a_question_of_its_own_is_answered_as_asked(taxonomy, reply) -> None:
    assert follow_up("What does Russia demand?", reply, taxonomy) == FollowUp(reply, False)


def test_without_a_previous_question_the_reply_is_the_question(taxonomy) -> None:
    assert follow_up("  ", "and Ukraine?", taxonomy) == FollowUp("and Ukraine?", False)


def test_a_long_previous_question_is_handled(taxonomy) -> None:
    previous = "What does Russia demand " + "and more " * 200 + "?"
    found = follow_up(previous, "and Ukraine?", taxonomy)
    assert found.combined and found.question.startswith("What does Ukraine demand")


def test_the_combined_question_gets_the_other_side_answer(shipped: knowledge.Knowledge) -> None:
    first = shipped.ask("/demands russia", 6)
    then = shipped.ask(follow_up("/demands russia", "and Ukraine?", shipped.taxonomy).question, 6)
    assert first.topic == "demands:russia" and then.topic == "demands:ukraine"
    assert then.answered and all(e.label.startswith("Ukraine") for e in then.excerpts)
    plain = shipped.ask(
        follow_up("What does Russia demand?", "and Ukraine?", shipped.taxonomy).question
    )
    assert plain.answered and "ukrain" in plain.excerpts[0].text.lower()


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("and Ukraine?", True),
        ("what about Turkey", True),
        ("а Україна?", True),
        ("why?", True),
        ("Ukraine", False),
        ("What does Ukraine demand?", False),
        ("Istanbul talks", False),
    ],
)
def test_what_refers_back_without_a_reply(text: str, leans: bool) -> None:
    assert refers_back(text) is leans

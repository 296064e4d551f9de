"""Clauses in which a party demands something: the basis of the position:<party> tags."""

from __future__ import annotations

from knowledge.language.tokenize import tokenize
from knowledge.taxonomy.phrases import find_phrases
from knowledge.taxonomy.stances import stances

PARTIES = {
    "ukrain": [(("ukrain",), "ukraine")],
    "kyiv": [(("kyiv",), "ukraine")],
    "russia": [(("russia",), "russia")],
    "moscow": [(("moscow",), "russia")],
}
VERBS = [("demand",), ("insist",), ("seek",), ("call",)]


def found(text: str, window: int = 6, ignore=(), party_first=True) -> dict[str, list[list[str]]]:
    return stances(text, PARTIES, VERBS, window, ignore, party_first)


def test_each_clause_has_its_own_party():
    result = found("Ukraine insists on its borders, while Russia seeks autonomy for these areas.")
    assert result == {
        "ukraine": [["ukrain", "insist", "border"]],
        "russia": [["russia", "seek", "autonomi", "area"]],
    }


def test_the_word_must_follow_within_the_window_before_another_party():
    assert found("Ukraine, after years of very long and difficult war, demands peace.") == {}
    # The whole clause is kept: it is the evidence of what the party asks for.
    assert found("Aid to Ukraine and Russia also insisted on terms.") == {
        "russia": [["aid", "ukrain", "russia", "insist", "term"]]
    }
    assert "russia" not in found("Moscow's long, winding statement")
    assert found("Russia talks a lot then demands", window=2) == {}


def test_the_party_can_be_read_after_the_word_of_demanding():
    # glossary English of "вимагає Україна від Росії" (demands Ukraine from Russia)
    assert found("demand ukraine russia talks") == {}
    assert found("demand ukraine russia talks", party_first=False) == {
        "ukraine": [["demand", "ukrain", "russia", "talk"]]
    }
    assert found("Russia demands", party_first=False) == {}
    assert found("demand peace soon everywhere Russia", window=2, party_first=False) == {}
    assert "russia" in found("demand peace Russia", window=2, party_first=False)


def test_ignored_phrases_are_not_subjects():
    text = "The UN, in the Russia Ukraine war seeking dialogue"
    assert "ukraine" not in found(text, ignore=[("russia", "ukrain", "war")])
    assert "ukraine" in found(text.replace(",", ""))


def test_find_phrases_reports_positions_and_labels():
    tokens = tokenize("Kyiv and Moscow met; Russia spoke")
    assert list(find_phrases(tokens, PARTIES)) == [(0, "ukraine"), (1, "russia"), (3, "russia")]


ACTORS = {**PARTIES, "turkey": [(("turkey",), "turkey")]}


def following(text: str) -> dict[str, list[list[str]]]:
    return stances(text, PARTIES, [*VERBS, ("pursu",)], 6, actors=ACTORS)


def test_a_clause_with_no_party_continues_the_subject_of_its_sentence():
    text = "Russia has focused on control of the east, essentially demanding that Ukraine yield."
    assert found(text) == {}  # Ukraine is named after the word: not the one demanding
    assert following(text) == {"russia": [["essenti", "demand", "ukrain", "yield"]]}
    text = "Ukraine, along with its partners, is pursuing investigations into atrocities."
    assert following(text) == {"ukraine": [["pursu", "investig", "atroc"]]}


def test_a_pronoun_continues_the_subject_of_the_sentence_before():
    text = "Moscow's aims have shifted. Initially, they demanded a neutral Ukraine."
    assert found(text) == {}
    assert following(text) == {"russia": [["demand", "neutral", "ukrain"]]}


def test_no_one_demands_for_a_subject_that_is_not_a_party_or_is_not_one():
    assert following("Turkey hosted the talks with Russia. They called for calm.") == {}
    assert following("Kyiv and Moscow, after the talks, are seeking calm.") == {}  # two
    assert following("Kyiv and Moscow met. They demanded calm.") == {}
    assert following("By seeking calm, Russia gained time.") == {}  # no subject before

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

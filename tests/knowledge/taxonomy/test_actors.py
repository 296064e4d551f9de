"""Stakeholders named as the subject of a clause, not as its object."""

from __future__ import annotations

import pytest

from knowledge.taxonomy.actors import subjects

NAMED = {
    "ukrain": [(("ukrain",), "ukraine")],
    "kyiv": [(("kyiv",), "ukraine")],
    "russia": [(("russia",), "russia")],
    "russian": [(("russian",), "russia")],
    "western": [(("western",), "west"), (("western", "countri"), "west")],
    "turkey": [(("turkey",), "turkey")],
    "nato": [(("nato",), "nato")],
    "unit": [(("unit", "nation"), "un")],
    "putin": [(("putin",), "russia")],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia seeks to limit Western intervention.", {"russia"}),
        ("Ukraine demands the withdrawal of Russian forces.", {"ukraine"}),
        ("The alliance gave military aid to Ukraine.", set()),
        ("The bloc influences talks by supporting Ukraine.", set()),
        ("Its envoy spoke with both President Putin and Kyiv.", set()),
        ("Countries like Turkey, NATO, and the United Nations mediate.", {"turkey", "nato", "un"}),
        ("Western countries and Turkey expressed support for Ukraine.", {"west", "turkey"}),
        ("Aid grew, while Russia views it as a threat.", {"russia"}),
        ("The deal that Kyiv signed and Russia later broke.", {"ukraine"}),
    ],
)
def test_subjects_are_named_first_in_their_clause_and_not_after_a_preposition(text, expected):
    assert subjects(text, NAMED) == expected

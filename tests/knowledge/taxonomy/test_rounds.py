"""The rounds a passage is about: those it names by a name of their own."""

from __future__ import annotations

import pytest

from knowledge.language.tokenize import tokenize
from knowledge.taxonomy.loader import load_taxonomy
from knowledge.taxonomy.rounds import rounds_about, rounds_label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Minsk agreements failed; talks in Minsk in 2015 tried again.", ["minsk-2015"]),
        ("The Minsk Protocol of 2014 and Minsk II.", ["minsk-2014", "minsk-2015"]),
        ("The Minsk agreements failed.", ["minsk-2014", "minsk-2015"]),  # shared name: both
        ("The talks went on.", ["minsk-2014"]),  # its source's round, named nowhere in it
    ],
)
def test_rounds_about(text, expected):
    taxonomy = load_taxonomy()
    tags = {"round:minsk-2014"} if "Minsk" not in text else taxonomy.tag(tokenize(text))
    about = rounds_about(taxonomy, tokenize(text), tags)
    assert [r.id for r in about] == expected


def test_rounds_label_lists_every_round_oldest_first():
    taxonomy = load_taxonomy()
    assert rounds_label(taxonomy.of_kind("round")[:2]) == "Minsk Protocol (2014) / Minsk II (2015)"

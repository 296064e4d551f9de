"""A snapshot's passages: made when read, equal to the passages they were saved from."""

from __future__ import annotations

import pytest

from knowledge.models import Passage
from knowledge.passage_table import PassageIds, PassageTable, as_table, passage_columns

PASSAGES = (
    Passage("a#0", "a", 0, "Переговори в Стамбулі — 2022.", None, frozenset({"round:istanbul"})),
    Passage("a#1", "a", 1, "", "Підсумок", frozenset()),
    Passage("b#0", "b", 0, "Russia demanded neutrality 🇺🇦.", "Talks", frozenset({"x", "y"})),
)


def table(passages=PASSAGES) -> PassageTable:
    return as_table(list(passages))  # a list, not a table: columns and texts copied


def test_the_table_reads_back_every_passage_with_its_multibyte_text() -> None:
    got = table()
    assert len(got) == 3 and tuple(got) == PASSAGES and got == PASSAGES
    assert PASSAGES == got  # noqa: SIM300 (a tuple on the left compares equal too)
    assert got[-1] == PASSAGES[2] and got[1:] == PASSAGES[1:]
    assert got[0] is got[0]  # made once


def test_a_row_past_the_end_is_an_index_error() -> None:
    with pytest.raises(IndexError):
        table()[3]
    with pytest.raises(IndexError):
        table()[-4]


def test_a_different_passage_makes_the_table_unequal() -> None:
    changed = (*PASSAGES[:2], Passage("b#0", "b", 0, "Other text.", "Talks"))
    assert table() != changed and table() != PASSAGES[:2]


def test_columns_come_from_the_table_or_the_passages_alike() -> None:
    assert passage_columns(table()) == passage_columns(PASSAGES)


def test_derived_ids_are_the_source_id_and_position() -> None:
    ids = PassageIds(["a", "a", "b"], [0, 1, 0])
    assert list(ids) == ["a#0", "a#1", "b#0"] and ids[-1] == "b#0" and ids[1:] == ["a#1", "b#0"]
    assert len(ids) == 3

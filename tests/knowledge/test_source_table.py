"""Sources held as rows and one UTF-8 text blob: equal to the sources they were made from."""

from __future__ import annotations

from knowledge.models import Source
from knowledge.source_table import SourceTable, as_source_table, source_heads, total_chars

SOURCES = (
    Source("a", "Стамбул", "Переговори — 2022 🇺🇦.", published="2022-03-29"),
    Source("b", "Empty", ""),
    Source("c", "Talks", "Russia demanded neutrality.", url="https://example.org/c"),
)


def test_a_table_reads_back_every_source_with_its_multibyte_text() -> None:
    table = as_source_table(SOURCES)
    assert isinstance(table, SourceTable) and len(table) == 3
    assert table == SOURCES and tuple(table) == SOURCES and table[-1] == SOURCES[2]
    assert table[1:] == SOURCES[1:] and as_source_table(table) is table


def test_heads_and_sizes_are_read_without_texts() -> None:
    table = as_source_table(SOURCES)
    assert [h.id for h in source_heads(table)] == ["a", "b", "c"]
    assert all(h.text == "" for h in table.heads) and table.heads[0].published == "2022-03-29"
    assert total_chars(table) == total_chars(SOURCES) == sum(len(s.text) for s in SOURCES)
    assert source_heads(SOURCES) is SOURCES

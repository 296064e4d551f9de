"""``bench --pipeline``: a tiny corpus goes from files to an index and a cold ask; rows only."""

from __future__ import annotations

from pathlib import Path

import knowledge
from bench.pipeline import format_pipeline, pipeline, write_corpus


def test_written_articles_load_into_about_the_passages_asked_for(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "kb", passages=60)
    loaded = knowledge.load([tmp_path / "kb"])
    assert files == len(loaded.sources) == 15
    assert 50 <= len(loaded.passages) <= 75


def test_rows_for_every_stage_then_the_ratios() -> None:
    rows = pipeline(passages=40, repeat=1)
    assert [r.stage for r in rows] == [
        "load: read",
        "load: build",
        "load: total",
        "ask: no snapshot",
        "ask: with snapshot",
    ]
    assert {r.passages for r in rows} == {rows[0].passages} and rows[0].passages >= 30
    assert rows[2].peak_rss_mb and all(r.runs == 1 for r in rows)
    table = format_pipeline(rows).splitlines()
    assert table[0].split()[:2] == ["stage", "passages"]
    assert table[-2].startswith("ask without / with the snapshot: ")

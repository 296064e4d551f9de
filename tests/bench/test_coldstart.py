"""``bench --cold-start``: fresh processes load through the snapshot and answer."""

from __future__ import annotations

from pathlib import Path

from bench.coldstart import cold_start, copy_corpus, format_cold_start


def test_launches_build_once_then_start_from_the_snapshot() -> None:
    rows = cold_start(passages=200, restarts=1)
    assert [r.launch for r in rows] == ["no snapshot (build + save)", "with snapshot"]
    assert rows[0].passages == rows[1].passages >= 200
    assert all(r.answered and r.first_answer_s > 0 for r in rows)
    assert format_cold_start(rows).splitlines()[1].split()[-2] == str(rows[0].passages)


def test_copy_corpus_keeps_sidecars_paired(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("x")
    (source / "a.meta.yaml").write_text("title: A\n")
    assert copy_corpus(source, tmp_path / "out", passages=5, per_copy=2) == 3
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"a_copy{i}.{ext}" for i in range(3) for ext in ("txt", "meta.yaml"))

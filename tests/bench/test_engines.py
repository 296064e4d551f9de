"""The benchmark's rows (shape and top-10 agreement, never timings), corpus and report."""

from __future__ import annotations

import pytest

from bench import engines as bench_module
from bench import synthetic
from bench.engines import (
    MIN_TIMED,
    BenchRow,
    bench,
    engine_list,
    positive_int,
    size_list,
    skip_reason,
    time_queries,
)
from bench.report import format_table

SCHEMA = {"size", "engine", "build_s", "peak_rss_mb", "index_mb", "p50_ms", "p95_ms", "p99_ms"}


@pytest.fixture(scope="module")
def rows() -> list[BenchRow]:
    return bench([1500], engines=["product", "rank_bm25"], n_queries=12)


def test_rows_have_every_measurement_and_agree_with_rank_bm25(rows: list[BenchRow]) -> None:
    assert [(r.size, r.engine) for r in rows] == [(1500, "product"), (1500, "rank_bm25")]
    for row in rows:
        assert SCHEMA | {"top10_agreement"} <= row.to_json().keys()
        assert row.queries == 12 and row.note == ""
        assert row.build_s > 0 and row.index_mb > 0
        assert row.peak_rss_mb >= row.corpus_rss_mb > 0
        assert all(isinstance(v, float) for v in (row.p50_ms, row.p95_ms, row.p99_ms))
    assert [r.top10_agreement for r in rows] == [1.0, 1.0]


def test_table_shows_each_row_and_the_ratio(rows: list[BenchRow]) -> None:
    table = format_table([*rows, BenchRow(1500, "bm25s", note="skipped: bm25s not installed")])
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["size", "engine"]
    assert any("product" in line and "1.000" in line for line in lines)
    assert lines[3].endswith("skipped: bm25s not installed") and " - " in lines[3]
    slower = max(rows, key=lambda r: r.p50_ms)
    faster = min(rows, key=lambda r: r.p50_ms)
    assert f"1500: {slower.engine} / {faster.engine}: p50 {slower.p50_ms / faster.p50_ms:.1f}x" in (
        table
    )


def test_unavailable_engines_become_skipped_rows(monkeypatch) -> None:
    monkeypatch.setattr(bench_module.importlib.util, "find_spec", lambda name: None)
    assert "not installed" in skip_reason("bm25s", 10)
    monkeypatch.setattr(bench_module, "available_bytes", lambda: 10 * 2**30)
    assert skip_reason("rank_bm25", 1_000) == ""
    assert "GiB" in skip_reason("rank_bm25", 10_000_000)
    rows = bench([10], engines=["bm25s"])
    assert rows == [BenchRow(10, "bm25s", note=skip_reason("bm25s", 10))]


def test_query_budget_still_runs_the_minimum() -> None:
    queries = [["a"]] * (MIN_TIMED + 30)
    run = time_queries(lambda q: [1, 2], queries, budget_s=0.0)
    assert len(run.tops) == len(run.latencies_ms) == MIN_TIMED
    assert run.note == f"{MIN_TIMED} of {len(queries)} queries in the 0s budget"
    assert len(time_queries(lambda q: [], queries, budget_s=1e9).tops) == len(queries)


def test_synthetic_corpus_is_fixed_and_prefix_stable() -> None:
    small, large = synthetic.corpus(300), synthetic.corpus(12_000)
    assert small == synthetic.corpus(300) and large[:300] == small
    lengths = [len(doc) for doc in large]
    assert min(lengths) >= 5 and max(lengths) <= 400 and 35 < sum(lengths) / len(lengths) < 80
    counts: dict[str, int] = {}
    for doc in large:
        for term in doc:
            counts[term] = counts.get(term, 0) + 1
    top = sorted(counts.values(), reverse=True)
    assert top[0] > 5 * top[9] > 25 * top[99]  # Zipfian: frequency falls with rank


def test_vocabulary_words_are_unique_and_plain() -> None:
    vocab = synthetic.words()
    assert len(set(vocab)) == len(vocab) == synthetic.VOCABULARY
    assert all(w.isalpha() and w.islower() and len(w) >= 6 for w in vocab[:: len(vocab) // 100])


def test_queries_are_fixed_with_one_to_eight_terms() -> None:
    queries = synthetic.queries(200)
    assert queries == synthetic.queries(200) and len(queries) == 200
    assert {len(q) for q in queries} == set(range(1, 9))


def test_option_parsers() -> None:
    assert size_list("10000,100000") == [10_000, 100_000]
    assert engine_list("product, bm25s") == ["product", "bm25s"]
    assert positive_int("3") == 3
    for parse, text in [
        (size_list, "0"),
        (size_list, ""),
        (engine_list, "lucene"),
        (positive_int, "0"),
    ]:
        with pytest.raises(ValueError):
            parse(text)

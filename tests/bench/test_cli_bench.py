"""``python -m bot bench``: options reach the benchmark, --json prints the rows."""

from __future__ import annotations

from tests.helpers.cli import run_cli

KEYS = {"size", "engine", "build_s", "peak_rss_mb", "index_mb", "p50_ms", "p95_ms", "p99_ms"}


def test_bench_json_rows_at_a_tiny_size() -> None:
    result = run_cli(
        "bench", "--sizes", "800", "--engines", "product,rank_bm25", "--queries", "5", "--json"
    )
    assert result.code == 0, result.err
    rows = result.json
    assert [(r["size"], r["engine"]) for r in rows] == [(800, "product"), (800, "rank_bm25")]
    assert all(KEYS | {"top10_agreement"} <= r.keys() for r in rows)
    assert rows[0]["top10_agreement"] == 1.0 and rows[0]["p50_ms"] > 0


def test_bench_bad_options_exit_2() -> None:
    for args in (
        ["--engines", "elastic"],
        ["--sizes", "0"],
        ["--queries", "0"],
        ["--e2e", "--rate", "-1"],
        ["--e2e", "--reload-passages", "-5"],
        ["--naive-budget", "nan"],
        ["--naive-budget", "0"],
    ):
        bad = run_cli("bench", *args)
        assert bad.code == 2 and args[-2] in bad.err, args

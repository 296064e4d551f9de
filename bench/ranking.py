"""Latency of the full ranking path (grouped BM25, neighbour context, source titles) at scale.

    python -m bench.ranking [PASSAGES] [PASSAGES_PER_SOURCE]

Uses bench's synthetic corpus and 200 queries; prints p50/p95 of `BM25Index.search` (the exact
engine `bench` reports) and of `ranking.rank` (what a question costs before excerpts), in ms,
and how many times the first the second takes (same run, same queries).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from bench import synthetic
from knowledge.index import BM25Index
from knowledge.ranking import PassageLayout, rank
from knowledge.titles import SourceTitles

TITLE_TOKENS = 8  # a synthetic source's title: the first words of its first passage


def main(size: int, per_source: int) -> None:
    """Build the synthetic corpus, then time both paths over the fixed queries."""
    docs = synthetic.corpus(size)
    index = BM25Index.build(docs)
    layout = PassageLayout.of([i // per_source for i in range(size)])
    titles = SourceTitles.of_tokens(
        [docs[first][:TITLE_TOKENS] for first in range(0, size, per_source)]
    )
    times: dict[str, list[float]] = {"index.search": [], "ranking.rank": []}
    for query in synthetic.queries():
        weights = [index.idf(t) or 1.0 for t in query]
        start = time.perf_counter()
        index.search(query, 10)
        times["index.search"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        groups = [[t] for t in query]
        rank(index, layout, groups, weights, 10, titles=titles.scores(groups, weights))
        times["ranking.rank"].append((time.perf_counter() - start) * 1000)
    quantiles = {name: _quantiles(values) for name, values in times.items()}
    for name, (p50, p95) in quantiles.items():
        print(f"{size:>8} {name:<13} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    search, ranked = quantiles["index.search"], quantiles["ranking.rank"]
    print(
        f"{size:>8} {'rank/search':<13} p50 {ranked[0] / search[0]:7.2f} x   "
        f"p95 {ranked[1] / search[1]:7.2f} x"
    )


def _quantiles(values: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile of ``values`` (ms)."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(0.95 * len(ordered))]


def _arguments(argv: list[str]) -> tuple[int, int]:
    """PASSAGES and PASSAGES_PER_SOURCE from the command line (defaults 100,000 and 30)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.ranking", description=__doc__.splitlines()[0]
    )
    parser.add_argument("passages", nargs="?", type=int, default=100_000)
    parser.add_argument("per_source", nargs="?", type=int, default=30)
    args = parser.parse_args(argv)
    if args.passages < 1 or args.per_source < 1:
        parser.error("PASSAGES and PASSAGES_PER_SOURCE must be at least 1")
    return args.passages, args.per_source


if __name__ == "__main__":
    main(*_arguments(sys.argv[1:]))

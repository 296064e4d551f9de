"""Latency of the full ranking path (grouped BM25, neighbour context, source titles) at scale.

    python -m bench.ranking [PASSAGES] [PASSAGES_PER_SOURCE]

Uses bench's synthetic corpus and 200 queries; prints p50/p95 of `BM25Index.search` (the exact
engine `bench` reports) and of `ranking.rank` (what a question costs before excerpts), in ms,
and how many times the first the second takes (same run, same queries).
"""

from __future__ import annotations

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


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 100_000, args[1] if len(args) > 1 else 30)

"""Plain-text rendering of ``bench`` rows: one table, then the latency ratios of each pair."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from bench.engines import BenchRow

COLUMNS = (
    ("size", "size", "{:d}"),
    ("engine", "engine", "{}"),
    ("build_s", "build s", "{:.2f}"),
    ("corpus_rss_mb", "corpus MB", "{:.0f}"),
    ("peak_rss_mb", "peak MB", "{:.0f}"),
    ("index_mb", "disk MB", "{:.1f}"),
    ("p50_ms", "p50 ms", "{:.3f}"),
    ("p95_ms", "p95 ms", "{:.3f}"),
    ("p99_ms", "p99 ms", "{:.3f}"),
    ("top10_agreement", "top10=", "{:.3f}"),
    ("queries", "queries", "{:d}"),
)


def cell(row: BenchRow, attr: str, fmt: str) -> str:
    """One formatted value, ``-`` when not measured."""
    value = getattr(row, attr)
    return "-" if value is None else fmt.format(value)


def format_table(rows: Sequence[BenchRow]) -> str:
    """Rows as an aligned text table, notes at the end of their line, then ratios."""
    header = [title for _, title, _ in COLUMNS]
    body = [[cell(row, attr, fmt) for attr, _, fmt in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(v.rjust(w) for v, w in zip(header, widths, strict=True))]
    for row, values in zip(rows, body, strict=True):
        line = "  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True))
        lines.append(f"{line}  {row.note}".rstrip())
    return "\n".join(lines + ratio_lines(rows))


def ratio_lines(rows: Sequence[BenchRow]) -> list[str]:
    """For each size, how many times slower each engine is than each other (same run)."""
    lines = []
    for size in dict.fromkeys(row.size for row in rows):
        timed = [r for r in rows if r.size == size and r.p50_ms and r.p95_ms]
        for a, b in combinations(sorted(timed, key=lambda r: r.p50_ms or 0.0), 2):
            lines.append(
                f"{size}: {b.engine} / {a.engine}: p50 {b.p50_ms / a.p50_ms:.1f}x, "
                f"p95 {b.p95_ms / a.p95_ms:.1f}x"
            )
    return ["", "Latency ratios (slower / faster, same run):", *lines] if lines else []

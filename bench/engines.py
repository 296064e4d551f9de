"""The ``bench`` benchmark: build time, peak memory, disk size and latency per engine.

Each (size, engine) pair runs in a fresh child process (``spawn``) that generates the
synthetic corpus itself, so ``peak_rss_mb`` is that process's high-water mark
(``ru_maxrss``: interpreter + token lists + the engine's build and queries), and
``corpus_rss_mb`` is the same mark before the engine is built. Rows are returned as
values; the CLI prints them.
"""

from __future__ import annotations

import importlib.util
import pickle
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from bench import synthetic
from knowledge.index import BM25Index
from knowledge.store import save_index

ENGINES = ("product", "rank_bm25", "bm25s")
REFERENCE = "rank_bm25"
TOP = 10
MIN_TIMED = 20  # queries every engine runs, whatever its time budget
NAIVE_BYTES_PER_PASSAGE = 3_000  # rank-bm25 RSS per synthetic passage: ~1.1 kB measured, x3
NAIVE_MAX_BYTES = 20 * 2**30  # the ceiling for running the naive engine at all

Search = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True, slots=True)
class BenchRow:
    """One engine at one corpus size; ``None`` where not measured (see ``note``)."""

    size: int
    engine: str
    build_s: float | None = None
    peak_rss_mb: float | None = None
    index_mb: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    top10_agreement: float | None = None
    queries: int = 0
    corpus_rss_mb: float | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The row as ``bench --json`` prints it."""
        return asdict(self)


@dataclass(slots=True)
class EngineRun:
    """What a child process measured for one engine."""

    build_s: float
    corpus_rss_mb: float
    peak_rss_mb: float
    index_mb: float | None
    latencies_ms: list[float] = field(default_factory=list)
    tops: list[list[int]] = field(default_factory=list)
    note: str = ""


def max_rss_mb() -> float:
    """This process's peak resident set so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(path: Path) -> float:
    """Size of a file, or of every file under a folder, in MiB."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def build_product(docs: list[list[str]], workdir: Path) -> tuple[Search, Callable[[], float]]:
    """The product's search path: BM25Index.search, saved with knowledge.store."""
    index = BM25Index.build(docs)

    def save() -> float:
        save_index(index, workdir / "index.npz")
        return disk_mb(workdir / "index.npz")

    return (lambda query: [hit.row for hit in index.search(query, TOP)]), save


def build_rank_bm25(docs: list[list[str]], workdir: Path) -> tuple[Search, Callable[[], float]]:
    """Naive rank-bm25: get_scores over every passage, then a full stable sort."""
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi(docs)

    def search(query: Sequence[str]) -> list[int]:
        scores = bm25.get_scores(query)
        order = np.argsort(-scores, kind="stable")[:TOP]
        return [int(row) for row in order if scores[row] > 0]

    def save() -> float:  # rank-bm25 has no file format; a pickle is how it would be kept
        with (workdir / "bm25.pkl").open("wb") as out:
            pickle.dump(bm25, out, protocol=pickle.HIGHEST_PROTOCOL)
        return disk_mb(workdir / "bm25.pkl")

    return search, save


def build_bm25s(docs: list[list[str]], workdir: Path) -> tuple[Search, Callable[[], float]]:
    """bm25s (method robertson: rank-bm25's idf without the epsilon floor; float32)."""
    import bm25s

    retriever = bm25s.BM25(method="robertson", k1=1.5, b=0.75)
    retriever.index(docs, show_progress=False)

    def search(query: Sequence[str]) -> list[int]:
        try:
            rows, scores = retriever.retrieve([list(query)], k=TOP, show_progress=False)
        except ValueError:  # bm25s refuses a query with no known term
            return []
        return [int(r) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]

    def save() -> float:
        retriever.save(str(workdir / "bm25s"))
        return disk_mb(workdir / "bm25s")

    return search, save


BUILDERS: dict[str, Callable[[list[list[str]], Path], tuple[Search, Callable[[], float]]]] = {
    "product": build_product,
    "rank_bm25": build_rank_bm25,
    "bm25s": build_bm25s,
}


def time_queries(search: Search, queries: Sequence[Sequence[str]], budget_s: float) -> EngineRun:
    """Run ``queries`` in order (after 3 untimed warm-ups) until ``budget_s`` is spent."""
    for query in queries[:3]:
        search(query)
    run = EngineRun(0.0, 0.0, 0.0, None)
    started = time.perf_counter()
    for query in queries:
        if len(run.tops) >= MIN_TIMED and time.perf_counter() - started > budget_s:
            run.note = f"{len(run.tops)} of {len(queries)} queries in the {budget_s:g}s budget"
            break
        begin = time.perf_counter()
        run.tops.append(search(query))
        run.latencies_ms.append((time.perf_counter() - begin) * 1000)
    return run


def run_engine(engine: str, size: int, n_queries: int, budget_s: float) -> EngineRun:
    """Generate the corpus, build ``engine``, measure it; runs inside a child process."""
    docs = synthetic.corpus(size)
    queries = synthetic.queries(n_queries)
    corpus_rss = max_rss_mb()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        started = time.perf_counter()
        search, save = BUILDERS[engine](docs, Path(tmp))
        build_s = time.perf_counter() - started
        run = time_queries(search, queries, budget_s)
        run.build_s, run.corpus_rss_mb, run.peak_rss_mb = build_s, corpus_rss, max_rss_mb()
        run.index_mb = save()
    return run


def available_bytes() -> int:
    """Memory the machine can still give a child process (psutil when installed)."""
    if importlib.util.find_spec("psutil") is None:
        return NAIVE_MAX_BYTES
    import psutil

    return int(psutil.virtual_memory().available)


def skip_reason(engine: str, size: int) -> str:
    """Why ``engine`` cannot run at ``size`` here, or "" when it can."""
    if engine == "bm25s" and importlib.util.find_spec("bm25s") is None:
        return "skipped: bm25s not installed (pip install '.[bench]')"
    need = size * NAIVE_BYTES_PER_PASSAGE
    if engine == REFERENCE and need > min(NAIVE_MAX_BYTES, 0.8 * available_bytes()):
        return f"skipped: needs ~{need / 2**30:.0f} GiB"
    return ""


def run_in_child(engine: str, size: int, n_queries: int, budget_s: float) -> EngineRun:
    """:func:`run_engine` in a fresh ``spawn`` process, so its peak memory is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(run_engine, engine, size, n_queries, budget_s).result()


def agreement(tops: list[list[int]], reference: list[list[int]]) -> float:
    """Share of the queries both engines ran whose top-10 rows are identical."""
    pairs = list(zip(tops, reference, strict=False))
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0


def summarize(size: int, engine: str, run: EngineRun, reference: EngineRun | None) -> BenchRow:
    """A table row from one engine's measurements."""
    p50, p95, p99 = np.percentile(run.latencies_ms, [50, 95, 99]).tolist()
    return BenchRow(
        size=size,
        engine=engine,
        build_s=run.build_s,
        peak_rss_mb=run.peak_rss_mb,
        index_mb=run.index_mb,
        p50_ms=p50,
        p95_ms=p95,
        p99_ms=p99,
        top10_agreement=agreement(run.tops, reference.tops) if reference else None,
        queries=len(run.latencies_ms),
        corpus_rss_mb=run.corpus_rss_mb,
        note=run.note,
    )


def bench(
    sizes: Sequence[int],
    engines: Sequence[str] = ENGINES,
    n_queries: int = 200,
    naive_budget_s: float = 60.0,
) -> list[BenchRow]:
    """Benchmark every engine at every size; rank-bm25 is the agreement reference."""
    engine_list(",".join(engines))  # raises on an unknown name
    rows: list[BenchRow] = []
    for size in sizes:
        runs: dict[str, EngineRun | str] = {}
        for engine in engines:
            budget = naive_budget_s if engine == REFERENCE else float("inf")
            runs[engine] = skip_reason(engine, size) or run_in_child(
                engine, size, n_queries, budget
            )
        reference = runs.get(REFERENCE)
        reference = reference if isinstance(reference, EngineRun) else None
        for engine, run in runs.items():
            if isinstance(run, str):
                rows.append(BenchRow(size, engine, note=run))
            else:
                rows.append(summarize(size, engine, run, reference))
    return rows


def size_list(text: str) -> list[int]:
    """Parse ``10000,100000`` into corpus sizes (each at least 1)."""
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise ValueError(f"not a list of positive sizes: {text!r}")
    return sizes


def positive_int(text: str) -> int:
    """Parse a count of at least 1."""
    value = int(text)
    if value < 1:
        raise ValueError(f"not a positive count: {text!r}")
    return value


def engine_list(text: str) -> list[str]:
    """Parse ``product,rank_bm25`` into engine names, checked against :data:`BUILDERS`."""
    engines = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [e for e in engines if e not in BUILDERS]
    if unknown or not engines:
        raise ValueError(f"unknown engine in {text!r}; choose from {', '.join(BUILDERS)}")
    return engines

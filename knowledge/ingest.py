"""Sources to tagged passages and their term ids: split, tokenize once, tag; in parallel if it pays.

The sources are analysed in runs of whole sources of bounded size, each turned at once into
compact columns (`Run`: passage texts as one UTF-8 blob, tag sets by number, term ids as
int32), so no run's token lists outlive it. Runs go through ``spawn`` worker processes
(safe from a threaded bot) when that pays, and are merged in order as they arrive into one
`PassageTable`. Each run numbers its terms by first occurrence, and the merge renumbers them
the same way, so the term ids, and the index built from them, are exactly those of a
single-process build.
"""

from __future__ import annotations

import os
import sys
import threading
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from knowledge.blob import BlobFile, release
from knowledge.expansions import Expansions
from knowledge.index import term_ids
from knowledge.language.tokenize import tokenize
from knowledge.language.translate import english_tokens
from knowledge.models import Passage, Source
from knowledge.passage_table import PassageIds, PassageTable
from knowledge.passages import split_passages
from knowledge.source_table import SourceTable, source_heads, total_chars
from knowledge.taxonomy.model import Taxonomy

__all__ = [
    "Analysed",
    "Run",
    "analyse",
    "analyse_run",
    "merge",
    "passage_tokens",
]

PARALLEL_MIN_CHARS = 4_000_000  # below ~10k passages, starting workers costs more than it saves
MAX_WORKERS = 4
RUN_CHARS = 1_000_000  # source text per run (~2,500 passages): bounds what a run holds at once

_taxonomy: Taxonomy | None = None  # a worker's copies, set once by _start_worker
_expansions = Expansions()


@dataclass(frozen=True, slots=True, eq=False)
class Analysed:
    """Tagged passages in order, and their tokens as term ids numbered by first occurrence."""

    passages: PassageTable
    vocabulary: dict[str, int]
    terms: np.ndarray  # int32[n_tokens], passage after passage
    lengths: np.ndarray  # int64[n_passages]
    learned: np.ndarray  # int64[n_passages]: how many of a passage's tokens (its last) are learned


@dataclass(frozen=True, slots=True, eq=False)
class Run:
    """One run of whole sources analysed, as columns (cheap to pickle, nothing per token)."""

    counts: list[int]  # passages of each source of the run, in order
    positions: list[int]
    sections: list[str | None]
    tag_sets: list[frozenset[str]]  # the distinct tag sets of the run
    tag_numbers: list[int]  # per passage, its tag set in ``tag_sets``
    text: bytes  # every passage text in UTF-8, passage after passage
    text_lengths: list[int]  # bytes of each passage text
    vocabulary: list[str]  # the run's terms, numbered by first occurrence in the run
    terms: np.ndarray  # int32[n_tokens]: run-local term ids
    lengths: np.ndarray  # int64[n_passages]
    learned: np.ndarray  # int64[n_passages]: of each passage's tokens, the learned ones (last)


def passage_tokens(passage: Passage) -> list[str]:
    """The tokens a passage is indexed by: its section heading and its text, and for a text
    in Ukrainian or Russian the glossary's English words for it."""
    text = f"{passage.section or ''}\n{passage.text}"
    return tokenize(text) + english_tokens(text)


def analyse_run(
    sources: Sequence[Source], taxonomy: Taxonomy | None, expansions: Expansions | None = None
) -> Run:
    """Split ``sources``, tokenize each passage once, tag them with ``taxonomy`` (by their own
    words), and index them with their learned ``expansions`` too."""
    split = [split_passages(s) for s in sources]
    passages = [p for ps in split for p in ps]
    docs = [passage_tokens(p) for p in passages]
    if taxonomy is not None:
        passages = taxonomy.tag_passages(passages, docs)
    learned = np.zeros(len(docs), dtype=np.int64)
    if expansions is not None and expansions.by_source:
        taught = [expansions.tokens(p) for p in passages]
        docs = [doc + words for doc, words in zip(docs, taught, strict=True)]
        learned = np.fromiter(map(len, taught), dtype=np.int64, count=len(taught))
    vocabulary, terms, lengths = term_ids(docs)
    del docs
    numbers: dict[frozenset[str], int] = {}
    encoded = [p.text.encode() for p in passages]
    return Run(
        counts=[len(ps) for ps in split],
        positions=[p.position for p in passages],
        sections=[p.section for p in passages],
        tag_numbers=[numbers.setdefault(p.tags, len(numbers)) for p in passages],
        tag_sets=list(numbers),
        text=b"".join(encoded),
        text_lengths=[len(b) for b in encoded],
        vocabulary=list(vocabulary),
        terms=terms,
        lengths=lengths,
        learned=learned,
    )


def runs_of(sources: Sequence[Source], chars: int) -> Iterator[list[Source]]:
    """``sources`` in order, cut into runs of whole sources of about ``chars`` characters."""
    run: list[Source] = []
    size = 0
    for source in sources:
        run.append(source)
        size += len(source.text)
        if size >= chars:
            yield run
            run, size = [], 0
    if run:
        yield run


def workers_for(sources: Sequence[Source]) -> int:
    """How many worker processes analysing ``sources`` pays for (0: none, work in-process)."""
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    if cores < 2 or total_chars(sources) < PARALLEL_MIN_CHARS:
        return 0
    return cores if spawn_is_safe() else 0


def spawn_is_safe() -> bool:
    """True unless a ``spawn`` worker would re-run an unguarded main script's top level.

    A worker imports the parent's ``__main__`` from its file (a package's ``__main__`` and
    ``python -c`` excepted); a script without an ``if __name__ == "__main__":`` guard would
    run again there, so such a process analyses in-process instead.
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name.rpartition(".")[2] == "__main__":
        return True
    path = getattr(main, "__file__", None)
    if not path:
        return True
    try:
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "__name__" in source and "__main__" in source


def analyse(
    sources: Sequence[Source],
    taxonomy: Taxonomy | None,
    workers: int | None = None,
    run_chars: int = RUN_CHARS,
    expansions: Expansions | None = None,
) -> Analysed:
    """:func:`analyse_run` over runs of ``sources``, in ``workers`` processes (None: if it pays).

    ``run_chars``: about how much source text one run holds (1: a source per run).
    """
    workers = workers_for(sources) if workers is None else workers
    runs = runs_of(sources, run_chars)
    try:
        if workers < 2:
            return merge(sources, (analyse_run(run, taxonomy, expansions) for run in runs))
        with _pool(workers, taxonomy, expansions) as pool:
            return merge(sources, bounded_map(pool, runs, 2 * workers))
    finally:
        if isinstance(sources, SourceTable):
            release(sources.blob)  # the texts read for the runs: not needed until saved


_pools: set[ProcessPoolExecutor] = set()  # the parallel builds running now (see abandon)
_pools_lock = threading.Lock()
_abandoned = threading.Event()
EXITING = "the process is exiting: the build was abandoned"


@contextmanager
def _pool(
    workers: int, taxonomy: Taxonomy | None, expansions: Expansions | None
) -> Iterator[ProcessPoolExecutor]:
    """``workers`` spawn processes for one build, known to :func:`abandon` while it runs."""
    with _pools_lock:
        if _abandoned.is_set():
            raise RuntimeError(EXITING)
        pool = ProcessPoolExecutor(
            workers, get_context("spawn"), _start_worker, (taxonomy, expansions)
        )
        _pools.add(pool)
    try:
        with pool:
            yield pool
    finally:
        with _pools_lock:
            _pools.discard(pool)


def abandon() -> None:
    """End every parallel build now, for a process that is exiting rather than waiting for
    them: their worker processes are ended (never left behind) and the builds raise."""
    with _pools_lock:  # bounded_map submits under it: no worker starts after this
        _abandoned.set()
        for pool in _pools:  # each then finds itself broken, and its build raises
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()


def bounded_map(pool: Executor, runs: Iterable[list[Source]], ahead: int) -> Iterator[Run]:
    """``pool.map(analyse, runs)`` with at most ``ahead`` runs sent and not yet merged.

    ``Executor.map`` would submit every run at once: every source text in memory together.
    """
    pending: deque[Future[Run]] = deque()
    for run in runs:
        with _pools_lock:  # a worker is started only while the build is not abandoned
            if _abandoned.is_set():
                raise RuntimeError(EXITING)
            pending.append(pool.submit(_analyse_in_worker, run))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _start_worker(taxonomy: Taxonomy | None, expansions: Expansions | None) -> None:
    global _taxonomy, _expansions
    _taxonomy, _expansions = taxonomy, expansions or Expansions()


def _analyse_in_worker(sources: list[Source]) -> Run:
    return analyse_run(sources, _taxonomy, _expansions)


def merge(sources: Sequence[Source], runs: Iterable[Run]) -> Analysed:
    """The runs of ``sources`` (in order) as one, each added as it comes and then dropped.

    Terms are renumbered by first occurrence across the runs (as one run would number
    them); equal tag sets become one shared object.
    """
    table = _Columns()
    vocabulary: dict[str, int] = {}
    terms, lengths, learned = array("i"), array("q"), array("q")
    owners = iter(source_heads(sources))
    try:
        for run in runs:
            table.add(run, [next(owners).id for _ in run.counts])
            remap = np.fromiter(
                (vocabulary.setdefault(t, len(vocabulary)) for t in run.vocabulary),
                dtype=np.intc,
                count=len(run.vocabulary),
            )
            terms.frombytes(remap[run.terms].tobytes())
            lengths.frombytes(run.lengths.astype(np.int64).tobytes())
            learned.frombytes(run.learned.astype(np.int64).tobytes())
    except BaseException:  # a run failed (or the build was abandoned): no file left open
        table.blob.discard()
        raise
    return Analysed(
        table.done(),
        vocabulary,
        np.frombuffer(terms, dtype=np.intc),
        np.frombuffer(lengths, dtype=np.int64),
        np.frombuffer(learned, dtype=np.int64),
    )


class _Columns:
    """The passage columns of the runs merged so far, texts in one growing UTF-8 blob file."""

    def __init__(self) -> None:
        self.source_ids: list[str] = []
        self.positions: list[int] = []
        self.sections: list[str | None] = []
        self.tags: list[frozenset[str]] = []
        self.shared: dict[frozenset[str], frozenset[str]] = {}
        self.blob = BlobFile()  # on disk until read
        self.starts = array("q", [0])

    def add(self, run: Run, source_ids: list[str]) -> None:
        """Append ``run``'s passages (``source_ids``: the id of each of its sources)."""
        for source_id, count in zip(source_ids, run.counts, strict=True):
            self.source_ids += [source_id] * count
        self.positions += run.positions
        self.sections += run.sections
        shared = [self.shared.setdefault(tags, tags) for tags in run.tag_sets]
        self.tags += [shared[n] for n in run.tag_numbers]
        ends = np.cumsum(run.text_lengths, dtype=np.int64) + self.blob.size
        self.blob.append(run.text)
        self.starts.frombytes(ends.tobytes())

    def done(self) -> PassageTable:
        """The merged passages, made when read."""
        blob = self.blob.mapped()
        starts = np.frombuffer(self.starts, dtype=np.int64)
        ids = PassageIds(self.source_ids, self.positions)  # as split_passages names them
        cols = (ids, self.source_ids, self.positions, self.sections, self.tags)
        return PassageTable(*cols, blob, starts)

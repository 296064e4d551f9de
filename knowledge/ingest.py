"""Sources to tagged passages and their term ids: split, tokenize once, tag; in parallel if it pays.

A large corpus is cut into runs of whole sources, analysed in ``spawn`` worker processes (safe
from a threaded bot), and merged in order. Each run numbers its terms by first occurrence, and
the merge renumbers them the same way, so the term ids, and the index built from them, are
exactly those of a single-process build.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.index import term_ids
from knowledge.language.tokenize import tokenize
from knowledge.models import Passage, Source
from knowledge.passages import split_passages
from knowledge.taxonomy.model import Taxonomy

__all__ = ["Analysed", "analyse", "passage_tokens"]

PARALLEL_MIN_CHARS = 4_000_000  # below ~10k passages, starting workers costs more than it saves
MAX_WORKERS = 4
RUNS_PER_WORKER = 4  # smaller runs even out the workers' loads

_taxonomy: Taxonomy | None = None  # a worker's copy, set once by _start_worker


@dataclass(frozen=True, slots=True, eq=False)
class Analysed:
    """Tagged passages in order, and their tokens as term ids numbered by first occurrence."""

    passages: list[Passage]
    vocabulary: dict[str, int]
    terms: np.ndarray  # int32[n_tokens], passage after passage
    lengths: np.ndarray  # int64[n_passages]


def passage_tokens(passage: Passage) -> list[str]:
    """The tokens a passage is indexed by: its section heading and its text."""
    return tokenize(f"{passage.section or ''}\n{passage.text}")


def analyse_run(sources: Sequence[Source], taxonomy: Taxonomy | None) -> Analysed:
    """Split ``sources``, tokenize each passage once, tag them with ``taxonomy``."""
    passages = [p for s in sources for p in split_passages(s)]
    docs = [passage_tokens(p) for p in passages]
    if taxonomy is not None:
        passages = taxonomy.tag_passages(passages, docs)
    vocabulary, terms, lengths = term_ids(docs)
    return Analysed(passages, vocabulary, terms, lengths)


def workers_for(sources: Sequence[Source]) -> int:
    """How many worker processes analysing ``sources`` pays for (0: none, work in-process)."""
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    if cores < 2 or sum(len(s.text) for s in sources) < PARALLEL_MIN_CHARS:
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
    sources: Sequence[Source], taxonomy: Taxonomy | None, workers: int | None = None
) -> Analysed:
    """:func:`analyse_run` over all ``sources``, in ``workers`` processes (None: if it pays)."""
    workers = workers_for(sources) if workers is None else workers
    if workers < 2:
        return analyse_run(sources, taxonomy)
    size = max(1, -(-len(sources) // (workers * RUNS_PER_WORKER)))
    runs = [list(sources[i : i + size]) for i in range(0, len(sources), size)]
    context = get_context("spawn")
    with ProcessPoolExecutor(workers, context, _start_worker, (taxonomy,)) as pool:
        return merge([_unpack(packed) for packed in pool.map(_analyse_in_worker, runs)])


def _start_worker(taxonomy: Taxonomy | None) -> None:
    global _taxonomy
    _taxonomy = taxonomy


_Packed = tuple[list[tuple[str, str, int, str, str | None, tuple[str, ...]]], list[str], Any, Any]


def _analyse_in_worker(sources: list[Source]) -> _Packed:
    """A run's result as plain tuples: they pickle about 3x faster than dataclasses."""
    done = analyse_run(sources, _taxonomy)
    rows = [
        (p.id, p.source_id, p.position, p.text, p.section, tuple(p.tags)) for p in done.passages
    ]
    return rows, list(done.vocabulary), done.terms, done.lengths


def _unpack(packed: _Packed) -> Analysed:
    rows, vocabulary, terms, lengths = packed
    passages = [Passage(i, s, n, text, sec, frozenset(tags)) for i, s, n, text, sec, tags in rows]
    return Analysed(passages, {t: i for i, t in enumerate(vocabulary)}, terms, lengths)


def merge(parts: Sequence[Analysed]) -> Analysed:
    """The runs as one, terms renumbered by first occurrence across them (as one run would)."""
    vocabulary: dict[str, int] = {}
    terms: list[np.ndarray] = []
    for part in parts:
        remap = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for t in part.vocabulary),
            dtype=np.intc,
            count=len(part.vocabulary),
        )
        terms.append(remap[part.terms])
    return Analysed(
        [p for part in parts for p in part.passages],
        vocabulary,
        np.concatenate(terms) if terms else np.zeros(0, dtype=np.intc),
        np.concatenate([p.lengths for p in parts]) if parts else np.zeros(0, dtype=np.int64),
    )

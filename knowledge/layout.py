"""Where a passage stands: its source, its neighbours, and its source's other passages.

Ranking lets a passage inherit a share of the terms its neighbours have (`knowledge.scoring`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from knowledge.rows import expand

__all__ = ["PassageLayout"]


class PassageLayout(NamedTuple):
    """Where passages stand: source rows, neighbours, rows by source, and source lengths."""

    source: np.ndarray
    previous: np.ndarray  # row of the previous passage of the same source (itself if none)
    next: np.ndarray  # row of the next passage of the same source (itself if none)
    has_neighbours: np.ndarray
    by_source: np.ndarray  # int[n]: the rows ordered by source (stable)
    starts: np.ndarray  # int[max source + 2]: where each source's rows start in by_source
    length: np.ndarray  # int32[n]: how many passages the row's source has

    @classmethod
    def of(cls, source_rows: Sequence[int]) -> PassageLayout:
        """The layout of passages listed source by source, in order."""
        src = np.asarray(source_rows, dtype=np.int64)
        rows = np.arange(len(src))
        same_prev = np.r_[False, src[1:] == src[:-1]]
        same_next = np.r_[src[:-1] == src[1:], False]
        previous = np.where(same_prev, rows - 1, rows)
        nxt = np.where(same_next, rows + 1, rows)
        by_source = np.argsort(src, kind="stable")
        starts = np.zeros(int(src.max(initial=-1)) + 2, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=len(starts) - 1), out=starts[1:])
        length = np.diff(starts)[src].astype(np.int32)
        return cls(src, previous, nxt, same_prev | same_next, by_source, starts, length)

    def rows_of(self, sources: np.ndarray) -> np.ndarray:
        """The rows of the passages of ``sources`` (source rows), source after source."""
        sources = sources[sources < len(self.starts) - 1]  # a source may have no passage
        return self.by_source[expand(self.starts[sources], self.starts[sources + 1])]

"""Sets of passage rows as sorted integer arrays: membership, union, ranges."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

__all__ = ["expand", "positions", "sorted_rows", "tag_masks", "union"]


def positions(rows: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """bool[len(wanted)]: which of ``wanted`` are in sorted ``rows``; and where (clipped)."""
    if not len(rows):
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=np.intp)
    at = np.searchsorted(rows, wanted)
    np.minimum(at, len(rows) - 1, out=at)
    return rows[at] == wanted, at


def sorted_rows(rows: np.ndarray) -> np.ndarray:
    """Sorted distinct rows: given as rows, or as a bool mask of every passage."""
    rows = np.asarray(rows)
    return np.flatnonzero(rows) if rows.dtype == bool else union([rows])[0]


def union(
    arrays: Sequence[np.ndarray], n: int | None = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The sorted distinct rows of ``arrays``, and where each array's rows are among them.

    Given ``n`` (rows are below it) and many rows, they are marked in a bool[n] instead of
    sorted.
    """
    if not arrays:
        return np.empty(0, dtype=np.int64), []
    if n is not None and 8 * sum(len(a) for a in arrays) > n:
        inside = np.zeros(n, dtype=bool)
        for a in arrays:
            inside[a] = True
        rows = np.flatnonzero(inside)
        place = np.empty(n, dtype=np.intp)  # only read at rows
        place[rows] = np.arange(len(rows))
        return rows, [place[a] for a in arrays]
    rows = np.concatenate(arrays).astype(np.int64, copy=False)
    order = np.argsort(rows, kind="stable")  # timsort: sorted runs merge in linear time
    rows = rows[order]
    first = np.ones(len(rows), dtype=bool)
    np.not_equal(rows[1:], rows[:-1], out=first[1:])
    inverse = np.empty(len(rows), dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    ends = np.cumsum([len(a) for a in arrays])
    return rows[first], np.split(inverse, ends[:-1])


def expand(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions of every range ``[starts[i], ends[i])``, concatenated."""
    lengths = ends - starts
    if not lengths.sum():
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return np.arange(lengths.sum()) + offsets


def tag_masks(tags: Sequence[Collection[str]]) -> dict[str, np.ndarray]:
    """Per tag, bool[n_passages]: which passages carry it (``tags``: each passage's)."""
    by_set: dict[Collection[str], list[int]] = {}  # passages share a few distinct tag sets
    for row, tagged_with in enumerate(tags):
        by_set.setdefault(tagged_with, []).append(row)
    rows: dict[str, list[int]] = {}
    for tagged_with, members in by_set.items():
        for tag in tagged_with:
            rows.setdefault(tag, []).extend(members)
    masks: dict[str, np.ndarray] = {}
    for tag, tagged in rows.items():
        masks[tag] = np.zeros(len(tags), dtype=bool)
        masks[tag][tagged] = True
    return masks

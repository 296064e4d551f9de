"""Sources kept as metadata rows and one UTF-8 blob of texts, each ``Source`` made when read.

A build holds every source's text from the moment it is read until the snapshot is written;
as Python strings a text with one character beyond Latin-1 costs 2–4 bytes a character, as
UTF-8 about one, and a build keeps the UTF-8 in a mapped temporary file (``knowledge.blob``)
rather than in memory. A loaded snapshot's blob is the memory-mapped file: nothing is decoded
until a source is read.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np

from knowledge.blob import BlobFile, Utf8Texts
from knowledge.models import Source


class SourceTable(Sequence[Source], Utf8Texts):
    """Read-only sources; equal to the same tuple of sources.

    Args:
        heads: each source with an empty text (its metadata).
        blob: uint8[n_bytes], every source text in UTF-8, source after source.
        starts: int64[n + 1], each text's byte bounds in ``blob`` (checked by the caller).
        chars: int64[n + 1], each text's character bounds in the texts joined.
    """

    def __init__(
        self, heads: Sequence[Source], blob: np.ndarray, starts: np.ndarray, chars: np.ndarray
    ) -> None:
        """Keep the rows; nothing is decoded yet."""
        Utf8Texts.__init__(self, blob, starts)
        self._heads, self.chars = heads, chars

    def __len__(self) -> int:
        """How many sources."""
        return len(self._heads)

    @overload
    def __getitem__(self, row: int) -> Source: ...

    @overload
    def __getitem__(self, row: slice) -> tuple[Source, ...]: ...

    def __getitem__(self, row: int | slice) -> Source | tuple[Source, ...]:
        """The source at ``row`` with its text (made anew), or a tuple for a slice."""
        if isinstance(row, slice):
            return tuple(self[r] for r in range(*row.indices(len(self))))
        head = self._heads[row]  # IndexError when out of range
        return dataclasses.replace(head, text=self.text(row % len(self)))

    @property
    def heads(self) -> Sequence[Source]:
        """Each source without its text (its metadata: nothing is decoded)."""
        return self._heads

    def __iter__(self) -> Iterator[Source]:
        """Every source in order."""
        return (self[row] for row in range(len(self)))

    def __eq__(self, other: Any) -> bool:
        """Equal to any sequence of the same sources (a tuple of them included)."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to a list: not hashable


class SourceColumns:
    """Sources added one by one, their texts encoded as they come (then :meth:`done`)."""

    def __init__(self) -> None:
        """Nothing added yet."""
        self.heads: list[Source] = []
        self.blob = BlobFile()  # on disk until read
        self.starts = array("q", [0])
        self.chars = array("q", [0])  # each text's character bounds in the texts joined

    def add(self, source: Source) -> None:
        """Append ``source`` (its text is encoded and not kept as a string)."""
        self.blob.append(source.text.encode())
        self.starts.append(self.blob.size)
        self.chars.append(self.chars[-1] + len(source.text))
        self.heads.append(dataclasses.replace(source, text=""))

    def done(self) -> SourceTable:
        """The sources added, made when read."""
        blob = self.blob.mapped()
        starts, chars = (np.frombuffer(a, dtype=np.int64) for a in (self.starts, self.chars))
        return SourceTable(self.heads, blob, starts, chars)


def source_heads(sources: Sequence[Source]) -> Sequence[Source]:
    """Each source's metadata: a table's text-less rows, else the sources themselves."""
    return sources.heads if isinstance(sources, SourceTable) else sources


def total_chars(sources: Sequence[Source]) -> int:
    """How many characters the texts of ``sources`` add up to (a table's without decoding)."""
    if isinstance(sources, SourceTable):
        return int(sources.chars[-1])
    return sum(len(s.text) for s in sources)


def as_source_table(sources: Iterable[Source]) -> SourceTable:
    """``sources`` as a table: itself if it is one, else its rows and texts copied."""
    if isinstance(sources, SourceTable):
        return sources
    columns = SourceColumns()
    for source in sources:
        columns.add(source)
    return columns.done()

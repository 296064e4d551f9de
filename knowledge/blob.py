"""Texts of a build kept on disk, not in memory: appended to a temporary file, then mapped.

A build of a million passages holds ~0.4 GB of passage text and as much of source text
that nothing reads until a passage is shown or the snapshot is written. Written to an
unlinked temporary file and mapped read-only, they take memory only for the pages read,
and those the kernel can drop (:func:`release` drops them at once).
"""

from __future__ import annotations

import mmap
import tempfile
from collections.abc import Iterator
from itertools import pairwise

import numpy as np


class BlobFile:
    """Bytes appended one piece after another, then read as one mapped uint8 array."""

    def __init__(self) -> None:
        """An empty, already unlinked temporary file."""
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  # closed by mapped()
        self.size = 0

    def append(self, data: bytes) -> None:
        """Add ``data`` at the end."""
        self._file.write(data)
        self.size += len(data)

    def discard(self) -> None:
        """Close the file unread (a build that failed): its space is freed at once."""
        self._file.close()

    def mapped(self) -> np.ndarray:
        """uint8[size]: every byte appended, mapped read-only (the file is closed: no more)."""
        self._file.flush()
        if not self.size:
            self._file.close()
            return np.empty(0, dtype=np.uint8)
        view = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        self._file.close()  # the mapping keeps the data until it is dropped
        return np.frombuffer(view, dtype=np.uint8)


def release(blob: np.ndarray) -> None:
    """Drop the pages of a mapped ``blob`` that were read (they are read again if needed)."""
    base = blob.base
    while isinstance(base, np.ndarray | memoryview):  # a view's owner, down to the buffer
        base = base.obj if isinstance(base, memoryview) else base.base
    if isinstance(base, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED") and len(base):
        base.madvise(mmap.MADV_DONTNEED)


class Utf8Texts:
    """Texts in one UTF-8 blob: text ``row`` lies between ``starts[row]`` and the next bound.

    Args:
        blob: uint8[n_bytes], the texts one after another (a mapped file or an array).
        starts: int64[n + 1], each text's byte bounds in ``blob`` (checked by the caller).
    """

    def __init__(self, blob: np.ndarray, starts: np.ndarray) -> None:
        """Keep the blob and the bounds; nothing is decoded yet."""
        self._blob, self._starts = blob, starts

    @property
    def blob(self) -> np.ndarray:
        """uint8[n_bytes]: every text in UTF-8, one after another (read it only)."""
        return self._blob

    @property
    def starts(self) -> np.ndarray:
        """int64[n + 1]: each text's byte bounds in :attr:`blob`."""
        return self._starts

    def text(self, row: int) -> str:
        """Text ``row``, decoded."""
        start, end = int(self._starts[row]), int(self._starts[row + 1])
        return self._blob[start:end].tobytes().decode("utf-8", "replace")

    def texts(self) -> Iterator[str]:
        """Every text in order, decoded one at a time (nothing is kept)."""
        blob = self._blob
        for start, end in pairwise(self._starts.tolist()):
            yield blob[start:end].tobytes().decode("utf-8", "replace")

"""Passages kept as columns, each ``Passage`` made only when it is read (a snapshot's hits).

A loaded snapshot has ~100k passages of which an answer shows a handful: building every
``Passage`` (and decoding every text) at start-up costs more than the question does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np

from knowledge.blob import Utf8Texts
from knowledge.models import Passage, ref_digest


class PassageTable(Sequence[Passage], Utf8Texts):
    """Read-only passages from columns and one UTF-8 blob; equal to the same tuple of passages.

    Args:
        ids, source_ids, positions, sections: one value per passage.
        tags: per passage, its tag set (equal sets may be one object).
        blob: uint8[n_bytes], every passage text in UTF-8, passage after passage.
        starts: int64[n + 1], each text's byte bounds in ``blob`` (checked by the caller).
    """

    def __init__(
        self,
        ids: Sequence[str],
        source_ids: list[str],
        positions: list[int],
        sections: list[str | None],
        tags: list[frozenset[str]],
        blob: np.ndarray,
        starts: np.ndarray,
    ) -> None:
        """Keep the columns; nothing is decoded yet."""
        self.ids, self.source_ids, self.tags = ids, source_ids, tags
        self._positions, self._sections = positions, sections
        Utf8Texts.__init__(self, blob, starts)
        self._made: dict[int, Passage] = {}

    def __len__(self) -> int:
        """How many passages."""
        return len(self.ids)

    @overload
    def __getitem__(self, row: int) -> Passage: ...

    @overload
    def __getitem__(self, row: slice) -> tuple[Passage, ...]: ...

    def __getitem__(self, row: int | slice) -> Passage | tuple[Passage, ...]:
        """The passage at ``row`` (made once, then kept), or a tuple for a slice."""
        if isinstance(row, slice):
            return tuple(self[r] for r in range(*row.indices(len(self))))
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError("passage row out of range")
        made = self._made.get(row)
        if made is None:
            made = self._made[row] = self._make(row)
        return made

    def _make(self, row: int) -> Passage:
        text = self.text(row)
        section, tags = self._sections[row], self.tags[row]
        return Passage(
            self.ids[row], self.source_ids[row], self._positions[row], text, section, tags
        )

    @property
    def positions(self) -> Sequence[int]:
        """Each passage's position in its source."""
        return self._positions

    @property
    def sections(self) -> Sequence[str | None]:
        """Each passage's section heading, if any."""
        return self._sections

    def __iter__(self) -> Iterator[Passage]:
        """Every passage in order."""
        return (self[row] for row in range(len(self)))

    def __eq__(self, other: Any) -> bool:
        """Equal to any sequence of the same passages (a tuple of them included)."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: not hashable


class PassageIds(Sequence[str]):
    """Passage ids ``<source id>#<position>`` made from those two columns when read."""

    def __init__(self, source_ids: Sequence[str], positions: Sequence[int]) -> None:
        """Keep the columns (nothing is made yet)."""
        self._source_ids, self._positions = source_ids, positions

    def __len__(self) -> int:
        """How many ids."""
        return len(self._source_ids)

    @overload
    def __getitem__(self, row: int) -> str: ...

    @overload
    def __getitem__(self, row: slice) -> list[str]: ...

    def __getitem__(self, row: int | slice) -> str | list[str]:
        """The id at ``row``, or a list of them for a slice."""
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(len(self)))]
        return f"{self._source_ids[row]}#{self._positions[row]}"

    def __iter__(self) -> Iterator[str]:
        """Every id in order."""
        return (f"{s}#{p}" for s, p in zip(self._source_ids, self._positions, strict=True))


def passage_columns(
    passages: Sequence[Passage],
) -> tuple[Sequence[str], Sequence[str], Sequence[frozenset[str]]]:
    """Ids, source ids and tag sets of ``passages``, without making a table's passages."""
    if isinstance(passages, PassageTable):
        return passages.ids, passages.source_ids, passages.tags
    return [p.id for p in passages], [p.source_id for p in passages], [p.tags for p in passages]


def as_table(passages: Sequence[Passage]) -> PassageTable:
    """``passages`` as a table: itself if it is one, else its columns and texts copied."""
    if isinstance(passages, PassageTable):
        return passages
    encoded = [p.text.encode() for p in passages]
    starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=starts[1:])
    return PassageTable(
        [p.id for p in passages],
        [p.source_id for p in passages],
        [p.position for p in passages],
        [p.section for p in passages],
        [p.tags for p in passages],
        np.frombuffer(b"".join(encoded), dtype=np.uint8),
        starts,
    )


def passage_refs(passages: Sequence[Passage]) -> np.ndarray:
    """uint64[n]: each passage's ``ref`` as a number (``int(ref, 16)``); no passage is made."""
    rows: Iterable[tuple[str, str | None, str]]
    if isinstance(passages, PassageTable):
        rows = zip(passages.source_ids, passages.sections, passages.texts(), strict=True)
    else:
        rows = ((p.source_id, p.section, p.text) for p in passages)
    digests = (int.from_bytes(ref_digest(*row), "big") for row in rows)
    return np.fromiter(digests, dtype=np.uint64, count=len(passages))

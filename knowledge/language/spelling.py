"""Typo correction of question words against the words the sources actually use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

__all__ = ["Speller", "edit_distance"]

MIN_LENGTH = 5  # shorter words are too ambiguous to correct


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance of ``a`` and ``b``; ``limit + 1`` once it exceeds it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1]


class Speller:
    """Maps a misspelt word to the closest word of the corpus vocabulary."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._by_first: dict[str, list[str]] = defaultdict(list)
        for word in sorted(set(vocabulary)):
            if len(word) >= MIN_LENGTH - 1:
                self._by_first[word[0]].append(word)

    def correct(self, word: str, popularity: Callable[[str], int]) -> str | None:
        """The closest known word to ``word`` (ties: the more popular), or None.

        One edit is allowed for words of up to 8 letters, two for longer ones; the first
        letter must match.
        """
        if len(word) < MIN_LENGTH or not word[:1].isalpha():
            return None
        limit = 1 if len(word) <= 8 else 2
        best: tuple[int, int, str] | None = None
        for candidate in self._by_first.get(word[0], ()):
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -popularity(candidate), candidate)
                best = key if best is None or key < best else best
        return best[2] if best else None

"""Phrases as consecutive stemmed tokens, and finding them in a passage's tokens."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

__all__ = ["Phrase", "at", "find_phrases"]

Phrase = tuple[str, ...]  # a word or phrase as consecutive stemmed tokens


def at(tokens: Sequence[str], i: int, phrase: Phrase) -> bool:
    """True when ``phrase`` starts at position ``i`` of ``tokens``."""
    return tuple(tokens[i : i + len(phrase)]) == phrase


def find_phrases(
    tokens: Sequence[str], by_first: Mapping[str, Sequence[tuple[Phrase, str]]]
) -> Iterable[tuple[int, str]]:
    """(position, label) of every phrase of ``by_first`` (keyed by first token) in ``tokens``."""
    for i, token in enumerate(tokens):
        for phrase, label in by_first.get(token, ()):
            if at(tokens, i, phrase):
                yield i, label

"""Who demands what: clauses in which a party is followed closely by a word of demanding.

"Ukraine insists on the restoration of its borders, while Russia advocates for autonomy"
has two clauses; Ukraine takes a position in the first, Russia in the second. The demanding
word must come within ``window`` tokens of the party and before any other party is named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from knowledge.language.tokenize import tokenize

__all__ = ["Phrase", "at", "find_phrases", "stances"]

Phrase = tuple[str, ...]  # a word or phrase as consecutive stemmed tokens
_CLAUSE = re.compile(r"[.!?;:,–—]+(?:\s+|$)|\n")


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


def _blank(tokens: list[str], phrase: Phrase) -> list[str]:
    out = list(tokens)
    for i in range(len(out)):
        if at(out, i, phrase):
            out[i : i + len(phrase)] = [""] * len(phrase)
    return out


def stances(
    text: str,
    parties: Mapping[str, Sequence[tuple[Phrase, str]]],
    verbs: Sequence[Phrase],
    window: int,
    ignore: Sequence[Phrase] = (),
) -> dict[str, list[list[str]]]:
    """Party label -> the tokens of each clause of ``text`` in which that party demands.

    Args:
        text: a passage.
        parties: the parties' alias phrases keyed by first token, labelled with the party id.
        verbs: words of demanding ("demand", "insist", "call for").
        window: how many tokens after the party the word may come.
        ignore: phrases in which a party is not the subject ("Russia-Ukraine War").
    """
    found: dict[str, list[list[str]]] = {}
    for clause in _CLAUSE.split(text):
        tokens = tokenize(clause)
        for phrase in ignore:
            tokens = _blank(tokens, phrase)
        named = list(find_phrases(tokens, parties))
        if not named:
            continue
        starts = [i for i in range(len(tokens)) if any(at(tokens, i, v) for v in verbs)]
        for n, (i, party) in enumerate(named):
            stop = named[n + 1][0] if n + 1 < len(named) else len(tokens)
            if any(i < s < min(stop, i + window + 1) for s in starts):
                found.setdefault(party, []).append([t for t in tokens if t])
    return found

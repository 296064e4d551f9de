"""Who demands what: clauses in which a party is followed closely by a word of demanding.

"Ukraine insists on the restoration of its borders, while Russia advocates for autonomy"
has two clauses; Ukraine takes a position in the first, Russia in the second. The demanding
word must come within ``window`` tokens of the party and before any other party is named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from knowledge.language.tokenize import tokenize
from knowledge.taxonomy.phrases import Phrase, at, find_phrases

__all__ = ["stances"]

_CLAUSE = re.compile(r"[.!?;:,–—]+(?:\s+|$)|\n")


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
    party_first: bool = True,
) -> dict[str, list[list[str]]]:
    """Party label -> the tokens of each clause of ``text`` in which that party demands.

    Args:
        text: a passage.
        parties: the parties' alias phrases keyed by first token, labelled with the party id.
        verbs: words of demanding ("demand", "insist", "call for").
        window: how many tokens after the party the word may come.
        ignore: phrases in which a party is not the subject ("Russia-Ukraine War").
        party_first: False reads the party after the word instead (the first one named within
            ``window`` tokens): Ukrainian and Russian put it there as often as before it
            ("вимагає Україна", "требования России", in their glossary English).
    """
    found: dict[str, list[list[str]]] = {}
    verbs_by_first: dict[str, list[Phrase]] = {}
    for verb in verbs:
        verbs_by_first.setdefault(verb[0], []).append(verb)
    for clause in _CLAUSE.split(text):
        tokens = tokenize(clause)
        present = set(tokens)
        if present.isdisjoint(parties) or present.isdisjoint(verbs_by_first):
            continue  # no party, or no word of demanding: no stance in this clause
        for phrase in ignore:
            if phrase[0] in present:
                tokens = _blank(tokens, phrase)
        named = list(find_phrases(tokens, parties))
        if not named:
            continue
        starts = [
            i
            for i, token in enumerate(tokens)
            if any(at(tokens, i, v) for v in verbs_by_first.get(token, ()))
        ]
        if party_first:
            demanding = _party_before(named, starts, len(tokens), window)
        else:
            demanding = _party_after(named, starts, window)
        for party in demanding:
            found.setdefault(party, []).append([t for t in tokens if t])
    return found


def _party_before(
    named: Sequence[tuple[int, str]], starts: Sequence[int], n_tokens: int, window: int
) -> list[str]:
    """Each party named with a word of demanding within ``window`` tokens after it (and
    before the next party)."""
    found = []
    for n, (i, party) in enumerate(named):
        stop = named[n + 1][0] if n + 1 < len(named) else n_tokens
        if any(i < s < min(stop, i + window + 1) for s in starts):
            found.append(party)
    return found


def _party_after(named: Sequence[tuple[int, str]], starts: Sequence[int], window: int) -> list[str]:
    """For each word of demanding, the first party named within ``window`` tokens after it."""
    found = []
    for s in starts:
        party = next((party for i, party in named if s < i <= s + window), None)
        if party is not None:
            found.append(party)
    return found

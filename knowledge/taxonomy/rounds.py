"""Which round of talks a passage is about, one answer however the rounds are listed.

A passage may carry several round tags: "the Minsk agreements" names both Minsk rounds, and a
source about one round lends it to its passages. The rounds a passage is about are those it
names by a name of their own (an alias no other round shares, or its ``together`` words):
"subsequent negotiations in 2015 ... the Minsk agreements" is about Minsk II; "the Minsk
Protocol in 2014 and the Minsk II agreement in 2015" about both. A passage naming none by a
name of its own is about every round it is tagged with.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from knowledge.taxonomy.model import Entry, Taxonomy
from knowledge.taxonomy.phrases import Phrase, at

__all__ = ["ROUNDS_JOINED", "rounds_about", "rounds_label"]

ROUNDS_JOINED = " / "  # between the labels of the rounds a passage is about


def _has(tokens: Sequence[str], phrase: Phrase) -> bool:
    return any(at(tokens, i, phrase) for i in range(len(tokens)))


def _own_name(taxonomy: Taxonomy, entry: Entry, tokens: Sequence[str]) -> bool:
    """Whether ``tokens`` name ``entry`` by an alias no other round has, or its together words."""
    shared = {p for r in taxonomy.of_kind("round") if r is not entry for p in r.aliases}
    if any(_has(tokens, p) for p in entry.aliases if p not in shared):
        return True
    return any(all(_has(tokens, p) for p in group) for group in entry.together)


def rounds_about(
    taxonomy: Taxonomy, tokens: Sequence[str], tags: Collection[str]
) -> tuple[Entry, ...]:
    """The rounds (oldest first) a passage with ``tokens`` and ``tags`` is about."""
    tagged = [r for r in taxonomy.of_kind("round") if r.tag in tags]
    own = [r for r in tagged if _own_name(taxonomy, r, tokens)]
    return tuple(own or tagged)


def rounds_label(rounds: Sequence[Entry], language: str = "en") -> str:
    """The label of a passage about ``rounds`` in ``language``: ``"Minsk Protocol (2014) /
    Minsk II (2015)"``."""
    return ROUNDS_JOINED.join(r.label_in(language) for r in rounds)

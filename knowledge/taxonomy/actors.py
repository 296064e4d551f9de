"""Who acts in a clause: the stakeholders named as its subject, not as an object.

"Russia seems resolved to get concessions from Ukraine and limit Western intervention" is
about Russia: it is named first in its clause. Ukraine ("from Ukraine") and the West (named
after Russia) are objects. A stakeholder is a subject of a clause when it is the first one
named there and no preposition or verb comes right before it ("withdrawal of Russian
forces", "supporting Ukraine"), or when it is listed with that subject ("Turkey, Israel, and
the United Nations", "the European Union and NATO").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from knowledge.language.tokenize import normalize, words
from knowledge.taxonomy.phrases import Phrase, at

__all__ = ["CLAUSE", "Mention", "clause_mentions", "clause_subjects", "subjects"]

CLAUSE = re.compile(r"[.!?;:,–—]+(?:\s+|$)|\n")  # what ends a clause
# a stakeholder named right after one of these is their object: "aid to Ukraine"
_OBJECT_OF = frozenset({
    "of", "to", "from", "with", "against", "into", "for", "on", "over", "about", "between",
    "among", "toward", "towards", "at", "in", "onto", "upon", "without", "within", "through",
    "across", "despite", "than", "versus", "via",
})  # fmt: skip
_LISTING = frozenset({"including"})  # an -ing word that lists subjects, not a verb
# words between a word and the name it governs: "with both President Putin"
_BETWEEN = frozenset(
    ["the", "a", "an", "both", "its", "their", "his", "her", "president", "prime", "minister"]
)
# words that join names listed together: "Ukraine and Russia", "the EU as well as the US"
_JOINING = frozenset(["and", "or", "nor", "as", "well", "the", "a", "an", "both"])


@dataclass(frozen=True, slots=True)
class Mention:
    """A stakeholder named in a clause: the [first, last] words it spans, and its id."""

    first: int
    last: int
    id: str


def clause_mentions(
    raw: Sequence[str], tokens: Sequence[str], named: Mapping[str, Sequence[tuple[Phrase, str]]]
) -> list[Mention]:
    """The stakeholders named in a clause, in order, longest phrase first at each word.

    Args:
        raw: the clause's words, lowercased.
        tokens: their search tokens (``""`` for a stopword), one per word.
        named: stakeholder phrases keyed by first token, labelled with the stakeholder id.
    """
    kept = [i for i, t in enumerate(tokens) if t]  # word index of each search token
    compact = [tokens[i] for i in kept]
    found: list[Mention] = []
    n = 0
    while n < len(compact):
        fits = [(p, label) for p, label in named.get(compact[n], ()) if at(compact, n, p)]
        if not fits:
            n += 1
            continue
        phrase, label = max(fits, key=lambda f: len(f[0]))
        found.append(Mention(kept[n], kept[n + len(phrase) - 1], label))
        n += len(phrase)
    return found


def _is_object(raw: Sequence[str], first: int) -> bool:
    """Whether the name starting at word ``first`` follows a preposition or a verb."""
    j = first - 1
    while j >= 0 and raw[j] in _BETWEEN:
        j -= 1
    if j < 0:
        return False
    word = raw[j]
    verb = word.endswith(("ing", "ed")) and word not in _LISTING
    return word in _OBJECT_OF or verb


def clause_subjects(
    clause: str, named: Mapping[str, Sequence[tuple[Phrase, str]]]
) -> list[Mention]:
    """The stakeholders named as the subject of ``clause`` (one clause, no comma in it)."""
    found = words(clause)
    raw = [normalize(clause[w.start : w.end]) for w in found]
    mentions = clause_mentions(raw, [w.token for w in found], named)
    out: list[Mention] = []
    for mention in mentions:
        if not out:
            if mentions[0] is not mention or _is_object(raw, mention.first):
                break
        elif any(w not in _JOINING for w in raw[out[-1].last + 1 : mention.first]):
            break
        out.append(mention)
    return out


def subjects(text: str, named: Mapping[str, Sequence[tuple[Phrase, str]]]) -> frozenset[str]:
    """Ids of the stakeholders named as the subject of some clause of ``text``."""
    return frozenset(m.id for clause in CLAUSE.split(text) for m in clause_subjects(clause, named))

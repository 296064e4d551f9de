"""Who demands what: clauses in which a party is followed closely by a word of demanding.

"Ukraine insists on the restoration of its borders, while Russia advocates for autonomy"
has two clauses; Ukraine takes a position in the first, Russia in the second. The demanding
word must come within ``window`` tokens of the party and before any other party is named.

Read with the stakeholders (``actors``), a clause whose word of demanding has no party
before it takes the subject it continues: that of an earlier clause of its sentence
("Russia has focused on control of the east, essentially demanding that Ukraine recognize
these annexations"; "Ukraine, along with international bodies, is pursuing investigations"),
or, opening on a pronoun, that of the sentence before ("Russia's demands have shifted.
Initially, they sought ..."). A subject that is not a party, or two subjects at once, is
no one's demand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from knowledge.language.tokenize import normalize, tokenize, words
from knowledge.taxonomy.actors import CLAUSE, clause_subjects
from knowledge.taxonomy.phrases import Phrase, at, find_phrases

__all__ = ["stances"]

_SENTENCE_END = {".", "!", "?"}
_PRONOUNS = frozenset({"they", "it", "he", "she"})  # a subject that refers back
_AMBIGUOUS = ""  # two subjects at once: the clause that follows continues neither


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
    actors: Mapping[str, Sequence[tuple[Phrase, str]]] | None = None,
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
        actors: every stakeholder's phrases, labelled with its id: when given (with
            ``party_first``), a clause with no party before its word of demanding takes the
            subject it continues (see the module docstring).
    """
    verbs_by_first: dict[str, list[Phrase]] = {}
    for verb in verbs:
        verbs_by_first.setdefault(verb[0], []).append(verb)
    follow = _Following(parties, actors, set(verbs_by_first)) if actors and party_first else None
    found: dict[str, list[list[str]]] = {}
    for clause, ends_sentence in _clauses(text):
        tokens, named, starts = _read(clause, parties, verbs_by_first, ignore)
        if not starts:
            demanding = []
        elif party_first:
            demanding = _party_before(named, starts, len(tokens), window)
        else:
            demanding = _party_after(named, starts, window)
        if follow is not None:
            demanding = follow.clause(clause, named, starts, demanding, ends_sentence)
        for party in demanding:
            found.setdefault(party, []).append([t for t in tokens if t])
    return found


def _read(
    clause: str,
    parties: Mapping[str, Sequence[tuple[Phrase, str]]],
    verbs_by_first: Mapping[str, Sequence[Phrase]],
    ignore: Sequence[Phrase],
) -> tuple[list[str], list[tuple[int, str]], list[int]]:
    """A clause's tokens, the parties named in it and where its words of demanding start."""
    tokens = tokenize(clause)
    present = set(tokens)
    if present.isdisjoint(verbs_by_first):
        return tokens, [], []  # no word of demanding: no stance in this clause
    for phrase in ignore:
        if phrase[0] in present:
            tokens = _blank(tokens, phrase)
    starts = [
        i
        for i, token in enumerate(tokens)
        if any(at(tokens, i, v) for v in verbs_by_first.get(token, ()))
    ]
    return tokens, list(find_phrases(tokens, parties)), starts


class _Following:
    """The subjects read so far in a passage, for clauses that continue one."""

    def __init__(
        self,
        parties: Mapping[str, Sequence[tuple[Phrase, str]]],
        actors: Mapping[str, Sequence[tuple[Phrase, str]]],
        verb_starts: set[str],
    ) -> None:
        self.parties = {label for pairs in parties.values() for _, label in pairs}
        self.actors, self.verb_starts = actors, verb_starts
        self.sentence: str | None = None  # the subject of the latest sentence naming one
        self.earlier: str | None = None  # that of the latest clause of this sentence naming one

    def clause(
        self,
        clause: str,
        named: Sequence[tuple[int, str]],
        starts: Sequence[int],
        demanding: list[str],
        ends_sentence: bool,
    ) -> list[str]:
        """``demanding``, or the party the clause continues when its demand has no party."""
        if starts and not demanding and not any(i < starts[0] for i, _ in named):
            owner = self.earlier
            if owner is None and _opens_on_pronoun(clause, self.verb_starts):
                owner = self.sentence
            demanding = [owner] if owner in self.parties else []
        acting = {m.id for m in clause_subjects(clause, self.actors)}
        if acting:
            self.earlier = acting.pop() if len(acting) == 1 else _AMBIGUOUS
        if ends_sentence:
            self.sentence = self.earlier if self.earlier is not None else self.sentence
            self.earlier = None
        return demanding


def _clauses(text: str) -> Iterator[tuple[str, bool]]:
    """Each clause of ``text``, and whether it ends its sentence."""
    start = 0
    for brk in CLAUSE.finditer(text):
        mark = brk.group()
        yield text[start : brk.start()], mark == "\n" or not _SENTENCE_END.isdisjoint(mark)
        start = brk.end()
    yield text[start:], True


def _opens_on_pronoun(clause: str, verb_starts: set[str]) -> bool:
    """Whether a pronoun ("they", "it") comes before the clause's first word of demanding."""
    for word in words(clause):
        if word.token in verb_starts:
            return False
        if normalize(clause[word.start : word.end]) in _PRONOUNS:
            return True
    return False


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

"""Structured answers from tagged passages: stakeholders, demands, outcomes (a timeline), compare.

Every answer is cited excerpts only: the index is filtered by the taxonomy's tags
(`BM25Index.search(..., allowed=mask)`) and ranked with the entry's own words; excerpts come
from `knowledge.excerpts`. ``route`` recognises the same phrasing in chat, inline and the CLI:
"/demands russia", "demands russia", "outcomes istanbul", "вимоги росії".
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial

import numpy as np

from knowledge.ingest import passage_tokens
from knowledge.language.detect import detect_language
from knowledge.language.tokenize import tokenize
from knowledge.language.translate import query_tokens
from knowledge.models import Answer, Excerpt, Passage
from knowledge.recency import oldest_first
from knowledge.tagged_search import Finder, TaggedCorpus
from knowledge.taxonomy.model import Entry, Role, Taxonomy
from knowledge.taxonomy.rounds import rounds_about, rounds_label

__all__ = ["COMMANDS", "TOPIC_TOP", "TaggedCorpus", "answer_topic", "route"]

TOPIC_TOP = 6  # excerpts on the first page of a structured answer
MAX_PER_ENTRY = 3  # excerpts for one named stakeholder or round
# Command -> the kind of entry its argument names.
COMMANDS = {
    "stakeholders": "stakeholder",
    "demands": "stakeholder",
    "outcomes": "round",
    "compare": "demand",
}
_WORDS = {
    "stakeholders": "stakeholders", "stakeholder": "stakeholders", "учасники": "stakeholders",
    "участники": "stakeholders", "demands": "demands", "demand": "demands", "вимоги": "demands",
    "требования": "demands", "outcomes": "outcomes", "outcome": "outcomes",
    "timeline": "outcomes", "результати": "outcomes", "результаты": "outcomes",
    "підсумки": "outcomes", "итоги": "outcomes", "compare": "compare",
    "порівняти": "compare", "сравнить": "compare",
}  # fmt: skip
_NAMED = ("uk", "ru")  # languages a label is given in besides English
_ROUTE = re.compile(r"^\s*(/)?([^\W\d_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


def route(question: str, taxonomy: Taxonomy) -> tuple[str, str] | None:
    """(command, argument) when ``question`` asks for a structured answer, else None.

    A slash command always routes; plain text routes only when nothing follows the command
    word or what follows names a known entry, so "demands of the public" stays a question.
    """
    match = _ROUTE.match(question[:200])
    if match is None:
        return None
    slash, word, rest = match.groups()
    command = _WORDS.get(word.casefold())
    if command is None:
        return None
    rest = " ".join((rest or "").split())
    if slash or not rest or taxonomy.matches(COMMANDS[command], rest):
        return command, rest
    return None


def answer_topic(
    corpus: TaggedCorpus,
    command: str,
    name: str = "",
    top: int = TOPIC_TOP,
    offset: int = 0,
    question: str | None = None,
) -> Answer:
    """The structured answer to ``command`` about ``name`` (all when empty), one page of it."""
    started = time.perf_counter()
    question = question if question is not None else f"/{command} {name}".strip()
    taxonomy = corpus.taxonomy
    if taxonomy is None:
        raise ValueError("structured answers need passages tagged with a taxonomy")
    entries = _entries(taxonomy, command, name)
    topic = f"{command}:{'-'.join(e.id for e in entries) or ('all' if not name else '?')}"
    finder = Finder(corpus, taxonomy)
    shown = _BUILDERS[command](finder, entries, name) if entries or not name else []
    return Answer.page_of(
        question,
        shown,
        offset,
        top,
        started,
        # the words the user wrote: "підсумки стамбул" is Ukrainian, "/demands росії" too
        language=detect_language(re.sub(r"^/\S+", "", question).strip() or name, taxonomy),
        # only a refusal shows them, and /compare's are worked out topic by topic
        suggestions=() if shown[offset : offset + top] else _known(finder, command),
        topic=topic,
    )


def _entries(taxonomy: Taxonomy, command: str, name: str) -> tuple[Entry, ...]:
    if not name:
        return ()
    found = taxonomy.matches(COMMANDS[command], name)
    if command == "demands":
        found = tuple(e for e in found if e.role == "party")
    return found


def _known(finder: Finder, command: str) -> tuple[str, ...]:
    """What to ask instead: the command with each argument the sources say something about."""
    taxonomy = finder.taxonomy
    if command == "demands":
        found = [e for e in taxonomy.parties if _demands(Finder(finder.corpus, taxonomy), [e], "")]
    elif command == "compare":  # a topic on which a party states a position
        topics = taxonomy.of_kind("demand")
        found = [e for e in topics if _compare(Finder(finder.corpus, taxonomy), [e], e.id)]
    else:
        found = [e for e in taxonomy.of_kind(COMMANDS[command]) if finder.rows(e.tag).any()]
    return tuple(f"/{command} {e.id}" for e in found)


def _labelled(excerpts: Iterable[Excerpt], label: Callable[[str], str]) -> list[Excerpt]:
    """``excerpts`` saying which side, topic or round they belong to: ``label(language)``
    in English and in each language the taxonomy names it in."""
    english = label("en")
    named = tuple((lang, _capital(label(lang))) for lang in _NAMED)
    labels = tuple((lang, text) for lang, text in named if text != english)
    return [replace(e, label=english, labels=labels) for e in excerpts]


def _capital(label: str) -> str:
    """``label`` heading a line: "сепаратисти (сторона конфлікту)" starts with a capital."""
    return label[:1].upper() + label[1:]


def _words(entry: Entry) -> list[str]:
    return [t for phrase in entry.aliases for t in phrase]


def _stakeholders(finder: Finder, entries: Sequence[Entry], name: str) -> list[Excerpt]:
    """Who takes part and in what role: the entry's names with its role's words."""
    taxonomy = finder.taxonomy
    chosen = entries or taxonomy.of_kind("stakeholder")
    out: list[Excerpt] = []
    for entry in chosen:
        role = taxonomy.roles.get(entry.role or "")
        weights = finder.weights((_words(entry), 2.0), (role.terms if role else (), 1.0))
        limit = MAX_PER_ENTRY if entries else 1
        found = finder.find(weights, finder.rows(entry.tag), limit, keep=_about(taxonomy, entry))
        out += _labelled(found, _role_label(entry, role))
    return out


def _role_label(entry: Entry, role: Role | None) -> Callable[[str], str]:
    """A stakeholder's label in a language: "Turkey (mediator)", "Туреччина (посередник)"."""
    if role is None:
        return entry.label_in
    return lambda lang: f"{entry.label_in(lang)} ({role.name_in(lang)})"


def _demand_label(party: Entry, topic: Entry, language: str) -> str:
    """A demand's label in ``language``: "Russia · Sanctions", "Росія · Санкції"."""
    return f"{party.label_in(language)} · {topic.label_in(language)}"


def _about(taxonomy: Taxonomy, entry: Entry) -> Callable[[Excerpt], bool]:
    """Whether an excerpt names ``entry`` as the subject of a clause: it is about them."""
    return lambda excerpt: entry.id in taxonomy.subjects(excerpt.text)


def _stance(taxonomy: Taxonomy, party: str, words: set[str]) -> Callable[[Passage], float]:
    """How many of ``words`` a passage has in the clauses where ``party`` demands something."""

    def evidence(passage: Passage) -> float:
        clauses = taxonomy.stances(passage.text, follow=True).get(party, [])
        return float(len(words.intersection(t for clause in clauses for t in clause)))

    return evidence


def _demands(finder: Finder, entries: Sequence[Entry], name: str) -> list[Excerpt]:
    """Each party's demands, topic by topic: clauses where the party demands that topic; with
    no party named, the parties take turns."""
    taxonomy = finder.taxonomy
    verbs = [t for phrase in taxonomy.position_words for t in phrase]
    topics = taxonomy.of_kind("demand")
    every_topic = [t for topic in topics for t in _words(topic)]
    sides: list[list[Excerpt]] = []
    for party in entries or taxonomy.parties:
        named = finder.rows(party.tag)  # the evidence keeps the clauses where it demands
        out: list[Excerpt] = []
        sides.append(out)
        for topic in topics:
            own = set(_words(topic))
            weights = finder.weights((own, 2.0), (_words(party), 1.5), (verbs, 1.0))
            shown = finder.weights((every_topic, 0.5), (own, 2.0), (_words(party), 1.5))

            evidence = _stance(taxonomy, party.id, own)
            found = finder.find(weights, named & finder.rows(topic.tag), 1, shown, evidence)
            out += _labelled(found, partial(_demand_label, party, topic))
    # every party on the first page: one demand of each in turn
    width = max((len(side) for side in sides), default=0)
    return [side[i] for i in range(width) for side in sides if i < len(side)]


def _outcomes(finder: Finder, entries: Sequence[Entry], name: str) -> list[Excerpt]:
    """Each round of talks, oldest first, with what it produced.

    A passage is shown once, under the oldest round it is about, labelled with every round it
    is about (``knowledge.taxonomy.rounds``): the same label in the timeline and for one round.
    """
    taxonomy = finder.taxonomy
    about = _rounds_about(finder)
    out: list[Excerpt] = []
    for entry in oldest_first(entries or taxonomy.of_kind("round"), lambda e: e.year):
        place = tokenize(entry.place or "") + ([str(entry.year)] if entry.year else [])
        names = [*_words(entry), *place]
        weights = finder.weights((names, 1.5), (taxonomy.outcome_words, 1.0))
        shown = finder.weights((names, 1.0), (taxonomy.outcome_words, 2.0))
        limit = MAX_PER_ENTRY if entries else 2
        allowed = finder.rows(entry.tag).copy()
        for row in np.flatnonzero(allowed):
            allowed[row] = entry in about[finder.corpus.passages[row].id]
        found = finder.find(weights, allowed, limit, shown)
        for excerpt in found:
            out += _labelled([excerpt], partial(rounds_label, about[excerpt.passage.id]))
    return out


def _rounds_about(finder: Finder) -> dict[str, tuple[Entry, ...]]:
    """Passage id -> the rounds it is about, for every passage tagged with a round."""
    taxonomy = finder.taxonomy
    tagged = np.zeros(len(finder.corpus.passages), dtype=bool)
    for entry in taxonomy.of_kind("round"):
        tagged |= finder.rows(entry.tag)
    passages = [finder.corpus.passages[row] for row in np.flatnonzero(tagged)]
    return {p.id: rounds_about(taxonomy, passage_tokens(p), p.tags) for p in passages}


def _compare(finder: Finder, entries: Sequence[Entry], name: str) -> list[Excerpt]:
    """Ukraine's and Russia's positions on one topic, side by side (alternating)."""
    taxonomy = finder.taxonomy
    asked = query_tokens(name, taxonomy)[0]
    verbs = [t for phrase in taxonomy.position_words for t in phrase]
    sides: list[list[Excerpt]] = []
    for party in taxonomy.parties[:2]:
        found: list[Excerpt] = []
        for topic in entries:
            own = set(_words(topic)) | set(asked)
            weights = finder.weights((asked, 3.0), (own, 1.0), (_words(party), 2.0), (verbs, 1.0))
            mentions = finder.rows(party.tag) & finder.rows(topic.tag)
            found += finder.find(weights, mentions, 2, evidence=_stance(taxonomy, party.id, own))
        sides.append(_labelled(found, party.label_in))
    width = max((len(s) for s in sides), default=0)
    return [side[i] for i in range(width) for side in sides if i < len(side)]


_BUILDERS = {
    "stakeholders": _stakeholders,
    "demands": _demands,
    "outcomes": _outcomes,
    "compare": _compare,
}

"""Tagging with the taxonomy: stakeholders, demand topics and talk rounds, en/uk/ru aliases.

Passages are tagged on stemmed tokens ("stakeholder:russia", "demand:territory",
"round:istanbul-2022", "position:russia"); command arguments in any of the three languages are
resolved to entries. `knowledge.taxonomy.loader` reads and validates the YAML into these values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from knowledge.language.tokenize import is_cyrillic, normalize, tokenize
from knowledge.models import Passage
from knowledge.taxonomy.actors import subjects
from knowledge.taxonomy.phrases import Phrase, at, find_phrases
from knowledge.taxonomy.stances import stances

__all__ = ["KINDS", "Entry", "Glossary", "Phrase", "Role", "Taxonomy"]

KINDS = ("stakeholder", "demand", "round")


@dataclass(frozen=True, slots=True)
class Entry:
    """One stakeholder, demand topic or talk round."""

    kind: str  # one of KINDS
    id: str
    name: str
    aliases: tuple[Phrase, ...]  # English, stemmed
    foreign: Mapping[str, tuple[tuple[Phrase, str], ...]]  # uk/ru: (stemmed alias, English)
    together: tuple[tuple[Phrase, ...], ...] = ()  # all phrases of one group in one passage
    role: str | None = None  # stakeholders: a key of Taxonomy.roles
    place: str | None = None  # rounds
    year: int | None = None  # rounds, when a source states it
    date: str | None = None  # rounds, when a source states it
    names: Mapping[str, str] = field(default_factory=dict)  # uk/ru display names

    @property
    def tag(self) -> str:
        """The passage tag, e.g. ``"stakeholder:russia"``."""
        return f"{self.kind}:{self.id}"

    @property
    def label(self) -> str:
        """The display name with the year when known: ``"Minsk II (2015)"``."""
        return self.label_in("en")

    def label_in(self, language: str) -> str:
        """The display name in ``language`` (English where ``names`` gives none), with the
        year when known: ``"Мінськ-2 (2015)"``."""
        name = self.names.get(language, self.name)
        return name if not self.year or str(self.year) in name else f"{name} ({self.year})"

    def phrases(self) -> Iterable[Phrase]:
        """Every stemmed phrase that names this entry: id, name, aliases, place, year."""
        yield from self.aliases
        for pairs in self.foreign.values():
            yield from (p for p, _ in pairs)


@dataclass(frozen=True, slots=True)
class Role:
    """What part a stakeholder plays, and the words that describe it in sources."""

    id: str
    name: str
    terms: tuple[str, ...]  # stemmed
    names: Mapping[str, str] = field(default_factory=dict)  # uk/ru display names

    def name_in(self, language: str) -> str:
        """The role's name in ``language``, English where ``names`` gives none."""
        return self.names.get(language, self.name)


@dataclass(frozen=True, slots=True)
class Glossary:
    """uk/ru words and phrases (stemmed per language) → English text; Cyrillic stopwords."""

    phrases: Mapping[str, Mapping[Phrase, str]]
    stopwords: Mapping[str, frozenset[str]]
    surfaces: Mapping[str, frozenset[str]] = field(default_factory=dict)  # words as listed


class Taxonomy:
    """Stakeholders, demand topics and rounds (oldest first), roles, positions and glossary."""

    def __init__(
        self,
        entries: Sequence[Entry],
        roles: Mapping[str, Role],
        position_words: Sequence[Phrase] = (),
        position_window: int = 6,
        position_ignore: Sequence[Phrase] = (),
        outcome_words: Sequence[str] = (),
        places: Mapping[str, Mapping[str, str]] | None = None,
        glossary: Glossary | None = None,
        generic_words: Iterable[str] = (),
    ) -> None:
        self.entries = tuple(entries)
        self.roles = dict(roles)
        self.position_words = tuple(position_words)
        self.position_window = position_window
        self.outcome_words = tuple(outcome_words)
        self.places = dict(places or {})
        self.glossary = glossary or Glossary({}, {}, {})
        self.generic_words = frozenset(generic_words)  # stems ignored when resolving names
        self.position_ignore = tuple(position_ignore)
        self._tags = {e.tag: e for e in self.entries}
        self._foreign = {lang: self._foreign_table(lang) for lang in ("uk", "ru")}
        self._by_first: dict[str, list[tuple[Phrase, str]]] = {}
        self._parties: dict[str, list[tuple[Phrase, str]]] = {}
        self._actors: dict[str, list[tuple[Phrase, str]]] = {}  # every stakeholder, by id
        for entry in self.entries:
            for phrase in entry.aliases:
                self._by_first.setdefault(phrase[0], []).append((phrase, entry.tag))
                if entry.kind == "stakeholder":
                    self._actors.setdefault(phrase[0], []).append((phrase, entry.id))
                if entry.kind == "stakeholder" and entry.role == "party":
                    self._parties.setdefault(phrase[0], []).append((phrase, entry.id))
        self._place_tokens = {place: tuple(tokenize(place, "en")) for place in self.places}
        self._together = [(e.tag, e.together) for e in self.entries if e.together]
        self._position_first = frozenset(p[0] for p in self.position_words)

    def foreign_phrases(self, language: str) -> Mapping[Phrase, str]:
        """Stemmed uk/ru words and phrases → English: the glossary, then the entries' aliases."""
        return self._foreign.get(language, {})

    def _foreign_table(self, language: str) -> dict[Phrase, str]:
        table = dict(self.glossary.phrases.get(language, {}))
        for place, names in self.places.items():
            if names.get(language):
                table[tuple(tokenize(names[language], language))] = place
        for entry in self.entries:
            table.update(entry.foreign.get(language, ()))
        return table

    def of_kind(self, kind: str) -> tuple[Entry, ...]:
        """Entries of one kind, in file order (rounds: oldest first)."""
        return tuple(e for e in self.entries if e.kind == kind)

    @property
    def parties(self) -> tuple[Entry, ...]:
        """The stakeholders whose role is ``party`` (those that make demands)."""
        return tuple(e for e in self.of_kind("stakeholder") if e.role == "party")

    def entry(self, tag: str) -> Entry | None:
        """The entry with this tag (``"round:minsk-2015"``), if any."""
        return self._tags.get(tag)

    def domain_terms(self) -> frozenset[str]:
        """Every English stem that names a stakeholder, demand topic, round or place."""
        terms = {t for e in self.entries for p in e.aliases for t in p}
        terms |= {t for p in self._place_tokens.values() for t in p}
        return frozenset(terms)

    def one_word_aliases(self) -> dict[str, set[str]]:
        """Each one-word English alias (stemmed) -> the tags of the entries it names."""
        found: dict[str, set[str]] = {}
        for entry in self.entries:
            for phrase in entry.aliases:
                if len(phrase) == 1:
                    found.setdefault(phrase[0], set()).add(entry.tag)
        return found

    def tag(self, tokens: Sequence[str], text: str | None = None) -> frozenset[str]:
        """Tags of a passage (or question) from its stemmed English tokens.

        With the passage ``text``, parties said to demand something in one clause of it also
        get ``position:<party>`` ("Russia's second demand was ...", "Ukraine insists ...").
        """
        tags = {tag for _, tag in self._matches(tokens)}
        present = set(tokens)
        for tag, together in self._together:
            if tag not in tags and any(
                all(_contains(tokens, present, p) for p in group) for group in together
            ):
                tags.add(tag)
        demanding = not present.isdisjoint(self._position_first)
        if text is not None and demanding and not present.isdisjoint(self._parties):
            tags |= self.positions(text)
        return frozenset(tags)

    def tag_passages(
        self, passages: Sequence[Passage], token_lists: Sequence[Sequence[str]] | None = None
    ) -> list[Passage]:
        """``passages`` (in order) with their tags, each source's passages tagged together."""
        tokens = token_lists or [tokenize(_text(p)) for p in passages]
        rows: dict[str, list[int]] = {}
        for row, passage in enumerate(passages):
            rows.setdefault(passage.source_id, []).append(row)
        tags: dict[int, frozenset[str]] = {}
        for group in rows.values():
            found = self.tag_source([_text(passages[r]) for r in group], [tokens[r] for r in group])
            tags.update(zip(group, found, strict=True))
        return [replace(p, tags=tags[row]) for row, p in enumerate(passages)]

    def tag_source(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[str]] | None = None
    ) -> list[frozenset[str]]:
        """Tags of one source's passages (in order), with the source as context for rounds.

        An article whose first passage names the only round it names is about that round: all
        its passages take it. Otherwise a passage naming only a place ("the meetings in
        Istanbul") takes the one round held there that the article names.
        """
        token_lists = token_lists or [tokenize(text) for text in texts]
        tagged = [set(self.tag(t, text)) for t, text in zip(token_lists, texts, strict=True)]
        found = {t for tags in tagged for t in tags if t.startswith("round:")}
        if len(found) == 1 and found <= tagged[0]:
            return [frozenset(tags | found) for tags in tagged]
        for entry in self.of_kind("round"):
            same_place = [r for r in self.of_kind("round") if r.place == entry.place]
            place = self._place_tokens.get(entry.place or "", ())
            if not place or entry.tag not in found or sum(r.tag in found for r in same_place) > 1:
                continue
            for tokens, tags in zip(token_lists, tagged, strict=True):
                named = _contains(tokens, set(tokens), place)
                if named and not any(r.tag in tags for r in same_place):
                    tags.add(entry.tag)
        return [frozenset(t) for t in tagged]

    def _matches(self, tokens: Sequence[str]) -> Iterable[tuple[int, str]]:
        return find_phrases(tokens, self._by_first)

    def stances(
        self, text: str, party_first: bool = True, follow: bool = False
    ) -> dict[str, list[list[str]]]:
        """Party id -> the tokens of each clause of ``text`` in which that party demands
        (named before the word of demanding; after it with ``party_first`` False). With
        ``follow``, a clause also takes the subject it continues ("..., essentially demanding
        that ...", "Initially, they sought ..."); the ``position:`` tags do not."""
        ignore = self.position_ignore if party_first else ()  # "Russia-Ukraine War"
        words, window = self.position_words, self.position_window
        actors = self._actors if follow else None
        return stances(text, self._parties, words, window, ignore, party_first, actors)

    def subjects(self, text: str) -> frozenset[str]:
        """Ids of the stakeholders ``text`` names as the subject of a clause, not an object."""
        return subjects(text, self._actors)

    def positions(self, text: str, party_first: bool = True) -> set[str]:
        """``position:<party>`` for each party that demands something in ``text``."""
        return {f"position:{party}" for party in self.stances(text, party_first)}

    def resolve(self, kind: str, name: str) -> Entry | None:
        """The entry of ``kind`` best named by ``name`` (any of en/uk/ru), or None."""
        found = self.matches(kind, name)
        return found[0] if found else None

    def matches(self, kind: str, name: str) -> tuple[Entry, ...]:
        """Entries of ``kind`` named by ``name``: exact names first, then every entry it fits.

        ``"istanbul"`` fits both Istanbul rounds; ``"minsk 2015"`` only Minsk II.
        """
        entries = self.of_kind(kind)
        wanted = {
            lang: tuple(tokenize(name, lang, self._stop(lang))) for lang in ("en", "uk", "ru")
        }
        if not any(wanted.values()) or not entries:
            key = normalize(name).strip()  # "US" is a stopword to the tokenizer, but an id
            return tuple(e for e in entries if key and key == e.id)
        named = {tokens for tokens in wanted.values() if tokens}  # () would match an empty name
        exact = [e for e in entries if named & set(self._names(e))]
        if exact:
            return tuple(exact)
        specific = [
            {t for t in tokens if not self._generic(t, lang)} for lang, tokens in wanted.items()
        ]
        return tuple(e for e in entries if any(w and w <= self._vocabulary(e) for w in specific))

    def _generic(self, token: str, language: str) -> bool:
        """Whether ``token`` is a word like "talks" that names no entry in particular."""
        if language == "en" or not is_cyrillic(token):
            return token in self.generic_words
        english = self.foreign_phrases(language).get((token,))
        return english is not None and set(tokenize(english, "en")) <= self.generic_words

    def _stop(self, language: str) -> frozenset[str]:
        return self.glossary.stopwords.get(language, frozenset())

    def _names(self, entry: Entry) -> list[Phrase]:
        names = [tuple(tokenize(entry.id.replace("-", " "), "en"))]
        names.append(tuple(tokenize(entry.name, "en")))
        names += [tuple(tokenize(n, lang)) for lang, n in entry.names.items()]
        return [*names, *entry.phrases()]

    def _vocabulary(self, entry: Entry) -> set[str]:
        words = {t for p in self._names(entry) for t in p}
        if entry.place:
            words |= set(self._place_tokens.get(entry.place, ()))
            for lang, text in self.places.get(entry.place, {}).items():
                words |= set(tokenize(text, lang))
        if entry.year:
            words.add(str(entry.year))
        return words


def _text(passage: Passage) -> str:
    return f"{passage.section or ''}\n{passage.text}"


def _contains(tokens: Sequence[str], present: set[str], phrase: Phrase) -> bool:
    if len(phrase) == 1:
        return phrase[0] in present
    return phrase[0] in present and any(at(tokens, i, phrase) for i in range(len(tokens)))

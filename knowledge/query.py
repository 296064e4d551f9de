"""A question as searched: corrected, expanded and weighed terms, and whether it is answerable."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.features import PRODUCT, RankingOptions
from knowledge.index import BM25Index
from knowledge.language.frequency import information
from knowledge.language.quantity import Quantity
from knowledge.language.spelling import Speller, is_real_word
from knowledge.language.stem import without_possessive
from knowledge.language.tokenize import Word, normalize, stem, tokenize, words
from knowledge.yamlfile import YamlReader

__all__ = ["Query", "QueryAnalyzer", "clipped", "load_synonyms"]


MAX_QUERY_TERMS = 64  # distinct terms of a question that are searched
MAX_QUESTION_CHARS = 4000  # the rest of a longer question is ignored
MIN_VARIANT_STEM = 4  # shorter stems are not expanded to their variants
# Words that frame a question rather than name its topic ("what did X say", "tell me about"),
# and common misspellings of question words; they are not searched. "name" and "list" frame a
# request too ("name the mediators"): as out-of-scope words (no source uses them) they refused it.
QUESTION_FILLER = frozenset(
    tokenize(
        "say says said tell told think know explain describe name list mean means happen happened "
        "come came happening go going get got make made like please thing things stuff kind sort "
        "actually really maybe anything something lot lots much many even ever still yet quite "
        "wat wht whats hw pls plz thx"
    )
)
# What Snowball leaves between stems of one family: russia/russian, europe/european.
VARIANT_SUFFIXES = frozenset(
    "n an ian ean ment ement ments al er or ist ism iti iv ion "  # noqa: SIM905
    "at ic ical ur anc enc ness li".split()
)
INFORMATIVE = 4.0  # everyday information (Zipf 3.5 and rarer) at which a word counts in full
RELATED_FACTOR = 0.6  # weight of another name of an entry the question names, in excerpts


@dataclass(frozen=True, slots=True)
class Query:
    """Search terms of one question, each with the variants it also matches, and weights."""

    terms: tuple[str, ...]  # the question's own terms (typos corrected), in order
    variants: Mapping[str, tuple[str, ...]]  # term -> indexed forms it matches (itself included)
    weights: Mapping[str, float]  # term -> idf; a term unknown to the sources weighs most
    known: frozenset[str]  # terms found in the sources (directly or through a variant)
    synonym_forms: frozenset[str]  # indexed forms reached only through a synonym
    entities: Mapping[str, frozenset[str]]  # a term no source says -> the tags it names
    related: Mapping[str, float] = field(default_factory=dict)  # other names of named entries
    positions: frozenset[str] = frozenset()  # "position:<party>" tags the question asks about
    language: str = "en"
    names: frozenset[str] = frozenset()  # terms the question writes as names ("Reykjavik")
    information: Mapping[str, float] = field(default_factory=dict)  # term -> everyday rarity
    respelt: Mapping[str, str] = field(default_factory=dict)  # typo -> the sources' word
    english: str = ""  # a uk/ru question in the glossary's English words (translate)
    quantity: Quantity | None = None  # it asks for a count (how many) or a date (when)

    def respell(self, question: str) -> str:
        """``question`` with each word the speller corrected written as the sources write it."""
        if not self.respelt:
            return question
        parts, at = [], 0
        for word in words(question):
            surface = question[word.start : word.end]
            if surface in self.respelt:
                parts += [question[at : word.start], self.respelt[surface]]
                at = word.end
        return "".join(parts) + question[at:]

    @property
    def tokens(self) -> list[str]:
        """What the index searches: every term's indexed variants, each once."""
        return list(dict.fromkeys(v for t in self.terms for v in self.variants[t]))

    def ranking_weight(self, term: str, options: RankingOptions = PRODUCT) -> float:
        """What ``term`` weighs in ranking: its idf, less for a word common in everyday use.

        With ``options.rarity``, the idf is scaled by the word's everyday information over
        `INFORMATIVE` (at most 1): in a small corpus "people" or "want" can have a high idf
        while saying little about what is asked.
        """
        weight = self.weights[term]
        if not options.rarity or term not in self.information:
            return weight
        return weight * min(1.0, self.information[term] / INFORMATIVE)

    @property
    def highlight_weights(self) -> dict[str, float]:
        """Weight of every indexed form, for choosing and marking excerpt sentences.

        Other names of the entries the question names count too, at ``RELATED_FACTOR``:
        asked about "Donbas", a sentence on "occupied territories" is the one to show.
        """
        weights = dict(self.related)
        weights.update({v: self.weights[t] for t in self.terms for v in self.variants[t]})
        return weights

    def matches(self, term: str, present: Collection[str], tags: Collection[str] = ()) -> bool:
        """Whether a passage with tokens ``present`` and ``tags`` has ``term`` in some form."""
        found = any(v in present for v in self.variants[term])
        return found or any(t in tags for t in self.entities.get(term, ()))

    def matched(self, present: Collection[str], tags: Collection[str] = ()) -> list[str]:
        """The question's terms that a passage with tokens ``present`` and ``tags`` has."""
        return [t for t in self.terms if self.matches(t, present, tags)]

    def share(self, terms: Iterable[str]) -> float:
        """Share of the question's weight in ``terms`` (distinct terms of this question)."""
        total = sum(self.weights.values())
        return sum(self.weights[t] for t in set(terms)) / total if total else 0.0

    @property
    def unknown_names(self) -> frozenset[str]:
        """Names in the question that no source uses: what it asks about is not there."""
        return frozenset(t for t in self.terms if t in self.names and t not in self.known)

    @property
    def unknown_share(self) -> float:
        """Share of the question's weight in words the sources never use."""
        total = sum(self.weights.values())
        return (
            sum(w for t, w in self.weights.items() if t not in self.known) / total if total else 1.0
        )


def clipped(question: str) -> str:
    """``question`` cut to at most `MAX_QUESTION_CHARS`, at a space so no word is cut."""
    if len(question) <= MAX_QUESTION_CHARS:
        return question
    cut = question.rfind(" ", 0, MAX_QUESTION_CHARS + 1)
    return question[: cut if cut > 0 else MAX_QUESTION_CHARS]


def load_synonyms(path: Path | None = None) -> list[frozenset[str]]:
    """Synonym groups as sets of stems, from ``path`` or the shipped ``synonyms.yaml``.

    Raises:
        KnowledgeError: the file is unreadable, not YAML, or not a list of lists of words.
    """
    path = path or Path(str(resources.files("knowledge") / "data" / "synonyms.yaml"))
    reader = YamlReader.read(path, "synonyms")
    data = reader.data if reader.data is not None else []
    groups = isinstance(data, list) and all(isinstance(g, list) for g in data)
    if not reader.problems and not groups:
        reader.problem((), "expected a list of lists of words")
    stems: list[frozenset[str]] = []
    for i, group in enumerate(data if groups else ()):
        found = [reader.word(w, (i, j), "a synonym is one word") for j, w in enumerate(group)]
        stems.append(frozenset(t for t in found if t))
    if reader.problems:
        raise KnowledgeError(reader.problems)
    return stems


class QueryAnalyzer:
    """Turns question words into a `Query` against one index's vocabulary."""

    def __init__(
        self,
        index: BM25Index,
        surface_words: Callable[[], Iterable[str]],
        synonyms: Iterable[Collection[str]] = (),
        entities: Mapping[str, Collection[str]] | None = None,
        associations: Mapping[str, Collection[str]] | None = None,
        learned_only: Callable[[], Collection[str]] = frozenset,
    ) -> None:
        self.index = index
        self._learned_only = learned_only  # indexed terms no source says (learned typos too)
        self._entities = {t: frozenset(tags) for t, tags in (entities or {}).items()}
        self._names: dict[str, set[str]] = {}  # tag -> its one-word names
        for word, tags in self._entities.items():
            for tag in tags:
                self._names.setdefault(tag, set()).add(word)
        self._synonyms: dict[str, set[str]] = {}
        for group in synonyms:
            for term in group:
                self._synonyms.setdefault(term, set()).update(group)
        self._associations = {t: frozenset(found) for t, found in (associations or {}).items()}
        self._surface_words = surface_words
        self._unknown_weight = math.log(max(len(index) - 0.5, 1.5) / 1.5) or 1.0

    @cached_property
    def _speller(self) -> Speller:
        """Spelling against the words the sources spell out, built at the first unknown word.

        Only surface words: a stem such as "capitul" would turn the real word "capital" into
        "capitulation". Built lazily, so a large index starts answering at once.
        """
        return Speller(self._surface_words())

    def _popularity(self, word: str) -> int:
        return self.index.doc_freq(stem(word))

    def _correct(self, term: str, surface: str, options: RankingOptions) -> str | None:
        """The word of the sources that ``surface`` (searched as ``term``) misspells, or None."""
        learned = self._learned_only()
        said = [v for v in self._variants(term, options) if v in self.index and v not in learned]
        if not options.spelling or said:
            return None
        word = without_possessive(normalize(surface))  # "Zelenksy's": "zelenksy"
        if word.isascii() and is_real_word(word):
            return None  # "later", "wheat": real words the sources do not use, not typos
        return self._speller.correct(word, self._popularity)

    def _variants(
        self, term: str, options: RankingOptions, synonyms: bool = True, also: Sequence[str] = ()
    ) -> tuple[str, ...]:
        """``term`` and the indexed terms that differ from it by a derivational suffix.

        "agre" ~ "agreement", "russia" ~ "russian", but not "crime" ~ "crimea". The indexed
        terms of ``also`` (the question's own words for it) join.
        """
        found = [term] if term in self.index else []
        if options.variants and len(term) >= MIN_VARIANT_STEM and not term.isdigit():
            found += sorted(term + end for end in VARIANT_SUFFIXES if term + end in self.index)
            for cut in range(MIN_VARIANT_STEM, len(term)):
                if term[cut:] in VARIANT_SUFFIXES and term[:cut] in self.index:
                    found.append(term[:cut])
        if synonyms and options.synonyms:
            found += sorted(t for t in self._synonyms.get(term, ()) if t in self.index)
        if synonyms and options.associations:
            found += sorted(t for t in self._associations.get(term, ()) if t in self.index)
        found += [t for t in also if t in self.index]
        return tuple(dict.fromkeys(found)) or (term,)

    def _is_synonym(self, term: str, form: str) -> bool:
        """Whether ``form`` is a synonym of ``term`` or associated with it (at a discount)."""
        return form in self._synonyms.get(term, ()) or form in self._associations.get(term, ())

    def _weight(self, term: str, variants: Sequence[str]) -> float:
        """A known term's idf: its own when indexed, else its rarest indexed variant's."""
        if term in self.index:
            return self.index.idf(term)
        return max(self.index.idf(v) for v in variants)

    def analyze(
        self,
        question_words: Iterable[tuple[Word, str]],
        language: str = "en",
        options: RankingOptions = PRODUCT,
        written: Mapping[str, Sequence[str]] | None = None,
    ) -> Query:
        """Build the query from (word, surface text) pairs of the question.

        ``written`` gives a translated question's tokens the words they render, as a source in
        the question's language is indexed: such a source matches them too (once per token).
        """
        written = written or {}
        terms: list[str] = []
        rarity: dict[str, float] = {}
        respelt: dict[str, str] = {}
        for word, surface in question_words:
            token = "" if options.filler and word.token in QUESTION_FILLER else word.token
            fixed = self._correct(token, surface, options) if token else None
            term = stem(fixed) if fixed else token
            if fixed:  # "Zelenksy's" -> "zelensky's"
                possessive = without_possessive(normalize(surface)) != normalize(surface)
                respelt[surface] = fixed + surface[-2:] if possessive else fixed
            if term and term not in terms:
                terms.append(term)
                rarity[term] = information(normalize(surface), language)
        terms = terms[:MAX_QUERY_TERMS]
        variants = {t: self._variants(t, options, also=written.get(t, ())) for t in terms}
        found = frozenset(t for t in terms if any(v in self.index for v in variants[t]))
        # A name the sources never use (at most tuning questions did) still finds what they say
        # about its entry: "Erdogan" -> passages tagged stakeholder:turkey.
        learned = self._learned_only()
        entities = (
            {
                t: self._entities[t]
                for t in terms
                if t in self._entities
                and all(v not in self.index or v in learned for v in variants[t])
            }
            if options.entities
            else {}
        )
        known = found | entities.keys()
        weights = {
            t: self._weight(t, variants[t]) if t in found else self._unknown_weight for t in terms
        }
        synonym_forms = frozenset(
            v for t in terms for v in variants[t] if v != t and self._is_synonym(t, v)
        ) - frozenset(v for t in terms for v in self._variants(t, options, synonyms=False))
        related = {
            name: RELATED_FACTOR * weights[t]
            for t in terms
            for tag in self._entities.get(t, ())
            for name in self._names[tag]
            if name != t and options.entities
        }
        return Query(
            related=related,
            terms=tuple(terms),
            variants=variants,
            weights=weights,
            known=known,
            synonym_forms=synonym_forms,
            entities=entities,
            language=language,
            information={t: rarity[t] for t in terms},
            respelt=respelt,
        )

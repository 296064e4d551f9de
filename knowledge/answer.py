"""`Knowledge`: load sources, index passages, answer questions with excerpts."""

from __future__ import annotations

import copy
import re
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from knowledge.decision import CALIBRATED, Signals, Thresholds, decide, shown
from knowledge.diff import KnowledgeDiff, knowledge_diff, taxonomy_digest
from knowledge.excerpts import is_near_duplicate, make_excerpt
from knowledge.expansions import Expansions, Question, learned_only
from knowledge.features import PRODUCT, RankingOptions
from knowledge.index import BM25Index, PassageTerms
from knowledge.ingest import analyse, passage_tokens
from knowledge.language.quantity import states_quantity
from knowledge.language.tokenize import normalize
from knowledge.models import Answer, Excerpt, Hit, Passage, Source
from knowledge.passage_table import PassageTable, passage_columns
from knowledge.passages import sentence_spans
from knowledge.precedents import Precedents
from knowledge.query import Query, QueryAnalyzer
from knowledge.question import read_question
from knowledge.ranking import PassageLayout, rank
from knowledge.recency import (
    asks_for_latest,
    favour_recent,
    names_no_topic,
    newest,
    without_recency,
)
from knowledge.rows import tag_masks
from knowledge.semantic.fusion import blend
from knowledge.semantic.vectors import passage_sentences
from knowledge.source_table import SourceTable, source_heads
from knowledge.taxonomy.model import Taxonomy
from knowledge.titles import SourceTitles
from knowledge.topics import answer_topic, route

if TYPE_CHECKING:
    from knowledge.semantic.stage import SemanticMatch, SemanticStage

__all__ = [
    "FUSION_DEPTH",
    "MAX_RESULTS",
    "SUGGESTIONS",
    "TRANSLATED_SUGGESTIONS",
    "Knowledge",
    "suggested_questions",
]

_SURFACE_WORD = re.compile(r"[^\W\d_]{3,}")
MAX_RESULTS = 30  # how deep "More" can page
LATEST_POOL = 200  # relevant passages weighed by date when the latest is asked for
FUSION_DEPTH = 20  # passages of each ranking blended when the semantic stage serves
# The hits the precedents reorder, whichever page is asked for: every page then sees one
# order ("More" repeated a passage when the second page's deeper list reordered differently).
# The first page's depth, as measured; all 30: pool hit@3 +0.005, held-out sets -0.007 to 0.
PRECEDENT_DEPTH = 8
SUGGESTIONS = (
    "What does Russia demand?",
    "Who mediates the talks?",
    "What came out of the Istanbul talks?",
    "What were the Minsk agreements?",
)
# the same, for a question asked in Ukrainian or Russian (tests/knowledge: each is answered)
TRANSLATED_SUGGESTIONS = {
    "uk": (
        "Чого вимагає Росія?",
        "Хто посередничає на переговорах?",
        "Чим закінчилися переговори в Стамбулі?",
        "Що таке Мінські угоди?",
    ),
    "ru": (
        "Чего требует Россия?",
        "Кто посредничает на переговорах?",
        "Чем закончились переговоры в Стамбуле?",
        "Что такое Минские соглашения?",
    ),
}


def suggested_questions(language: str = "en") -> tuple[str, ...]:
    """The questions suggested to a user writing in ``language`` (English for any other)."""
    return TRANSLATED_SUGGESTIONS.get(language, SUGGESTIONS)


DECIDING_HITS = 3  # hits the decision weighs, the answer's excerpts (cross-fitted on the pool)


class Knowledge:
    """Immutable loaded sources, passages and their index; safe to share."""

    def __init__(
        self,
        sources: Sequence[Source],
        passages: Sequence[Passage],
        index: BM25Index,
        taxonomy: Taxonomy | None = None,
        synonyms: Iterable[Collection[str]] = (),
        passage_terms: PassageTerms | None = None,
        titles: SourceTitles | None = None,
        associations: Mapping[str, Collection[str]] | None = None,
        expansions: Expansions | Callable[[], Expansions] | None = None,
        out_of_scope: Collection[str] = (),
        learned_words: Collection[str] | None = None,
        precedents: Precedents | None = None,
    ) -> None:
        """Wrap built parts; the passages' term ids and the titles are made when not given.

        ``expansions``: the learned words the index was built with (a rebuild without them is
        how `with_options` switches them off), or what reads them when first needed (a
        snapshot's index holds them already); ``out_of_scope``: the learned out-of-scope words;
        ``learned_words``: the `learned_words` a snapshot saved (else found when first needed);
        ``precedents``: the tuning questions, whole (`knowledge.precedents`).
        """
        self.options = PRODUCT
        synonyms = tuple(synonyms)
        self._built_with = (synonyms, associations)
        self._expansions = expansions
        self.out_of_scope = frozenset(out_of_scope)
        self.precedents = precedents
        self.taxonomy = taxonomy
        tabled = isinstance(sources, SourceTable)  # texts as UTF-8, each source made when read
        self.sources: Sequence[Source] = sources if tabled else tuple(sources)
        lazy = isinstance(passages, PassageTable)  # a snapshot's: made when read
        self.passages: Sequence[Passage] = passages if lazy else tuple(passages)
        self.index = index
        ids, source_ids, tags = passage_columns(self.passages)
        self._passage_ids = ids
        self._by_passage: dict[str, int] | None = None  # made if an id is not "<source>#<n>"
        entities = taxonomy.one_word_aliases() if taxonomy else {}
        self.analyzer = QueryAnalyzer(
            index, self._surface_words, synonyms, entities, associations, lambda: self.learned_words
        )
        self.tag_rows = tag_masks(tags)
        self._tagged = {tag: np.flatnonzero(mask) for tag, mask in self.tag_rows.items()}
        self._heads = source_heads(self.sources)  # metadata, no text decoded
        self._source_rows = {s.id: row for row, s in enumerate(self._heads)}
        self._layout = PassageLayout.of([self._source_rows[s] for s in source_ids])
        self.titles = titles or SourceTitles.of(head.title for head in self._heads)
        self.passage_terms = passage_terms or PassageTerms.of(
            [passage_tokens(p) for p in self.passages], index.column
        )
        self.semantic: SemanticStage | None = None  # see with_semantic
        self.thresholds: Thresholds = CALIBRATED  # when to refuse (knowledge.decision)
        self._suggested: dict[str, tuple[str, ...]] = {}  # see suggestions
        self._suggesting = threading.RLock()
        self._learned_words = None if learned_words is None else frozenset(learned_words)

    @property
    def expansions(self) -> Expansions:
        """The learned words the index was built with."""
        if callable(self._expansions):
            self._expansions = self._expansions()  # read once; a race reads the same file
        return self._expansions or Expansions()

    def _with(self, **changes: object) -> Knowledge:
        """A shallow copy with ``changes`` to its attributes (the parts are shared)."""
        other = copy.copy(self)
        vars(other).update(_suggested={}, _suggesting=threading.RLock(), **changes)
        return other

    def suggestions(self, language: str = "en") -> tuple[str, ...]:
        """The suggested questions in ``language`` that these sources answer (asked once).

        An operator's own knowledge may answer none of the shipped suggestions: a refusal
        then suggests nothing rather than questions that are refused in turn.
        """
        with self._suggesting:
            if language not in self._suggested:
                self._suggested[language] = ()  # a suggestion refused meanwhile suggests none
                asked = suggested_questions(language)
                self._suggested[language] = tuple(q for q in asked if self.ask(q).answered)
            return self._suggested[language]

    def with_thresholds(self, thresholds: Thresholds) -> Knowledge:
        """This snapshot refusing by ``thresholds`` (a copy; ``self`` is unchanged)."""
        return self._with(thresholds=thresholds)

    def with_semantic(self, stage: SemanticStage | None) -> Knowledge:
        """This snapshot with ``stage`` as its semantic stage (a copy; ``self`` is unchanged)."""
        return self._with(semantic=stage)

    @classmethod
    def build(
        cls,
        sources: Sequence[Source],
        taxonomy: Taxonomy | None = None,
        synonyms: Iterable[Collection[str]] = (),
        associations: Mapping[str, Collection[str]] | None = None,
        expansions: Expansions | None = None,
        out_of_scope: Collection[str] = (),
        unanswered: Sequence[Question] = (),
    ) -> Knowledge:
        """Split, tag (with ``taxonomy``) and index ``sources``, with their learned words (and
        the out-of-scope tuning questions, ``unanswered``)."""
        done = analyse(sources, taxonomy, expansions=expansions)  # in parallel if it pays
        index, terms = BM25Index.with_terms(
            done.vocabulary, done.terms, done.lengths, learned=done.learned
        )
        return cls(
            sources,
            done.passages,
            index,
            taxonomy,
            synonyms,
            passage_terms=terms,
            associations=associations,
            expansions=expansions,
            out_of_scope=out_of_scope,
            precedents=Precedents.of(done.passages, expansions, unanswered) if expansions else None,
        )

    def with_options(self, options: RankingOptions) -> Knowledge:
        """This snapshot searching with ``options`` (the parts are shared, not copied).

        The learned expansions are in the index: switching them off or on again rebuilds it
        (for ablation; the product has them on).
        """
        if options.expansions == self.options.expansions or not self.expansions.by_source:
            return self._with(options=options)
        synonyms, associations = self._built_with
        learned = self.expansions if options.expansions else None
        rebuilt = Knowledge.build(
            self.sources, self.taxonomy, synonyms, associations, learned, self.out_of_scope
        )  # the precedents are this index's own: kept below
        changes = {"options": options, "semantic": self.semantic, "thresholds": self.thresholds}
        return rebuilt._with(_expansions=self.expansions, precedents=self.precedents, **changes)

    @property
    def learned_words(self) -> frozenset[str]:
        """Terms the index holds only through the learned expansions: no source says them."""
        if self._learned_words is None:  # a race computes the same set twice
            learned = self.expansions if self.options.expansions else Expansions()
            named = [self._source_rows[s] for s in learned.by_source if s in self._source_rows]
            rows = self._layout.rows_of(np.asarray(named, dtype=np.int64))
            self._learned_words = learned_only(
                (self.passages[int(row)] for row in rows),
                learned,
                self.index.doc_freq,
                lambda passage: set(passage_tokens(passage)),
            )
        return self._learned_words

    def _said(self, query: Query, term: str) -> bool:
        """Whether a source says ``term`` (or a form it matches, or names its entry): a word
        only learned from tuning questions is not said."""
        if term not in query.known:
            return False
        if term in query.entities:
            return True  # its taxonomy entry is named
        learned = self.learned_words
        return any(v in self.index and v not in learned for v in query.variants[term])

    def _surface_words(self) -> set[str]:
        """Every word the passages spell out, normalised (for typo correction)."""
        ps = self.passages
        texts = ps.texts() if isinstance(ps, PassageTable) else (p.text for p in ps)
        spelled = {w for text in texts for w in _SURFACE_WORD.findall(text)}
        return {normalize(w) for w in spelled}  # normalise each distinct word once

    def _entity_rows(self, tags: Collection[str]) -> np.ndarray | None:
        """The sorted rows of passages carrying any of ``tags`` (None when none is known)."""
        rows = [self._tagged[t] for t in tags if t in self._tagged]
        return np.unique(np.concatenate(rows)) if rows else None

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if indexed."""
        row = self._source_rows.get(source_id)
        return None if row is None else self.sources[row]

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with this id, if indexed."""
        row = self._passage_row(passage_id)
        return None if row is None else self.passages[row]

    def _passage_row(self, passage_id: str) -> int | None:
        """The row of ``passage_id``: where ``<source id>#<position>`` puts it, else looked up."""
        source_id, _, position = passage_id.rpartition("#")
        source = self._source_rows.get(source_id)
        ids = self._passage_ids
        if source is not None and position.isdigit():
            row = int(np.searchsorted(self._layout.source, source)) + int(position)
            if row < len(ids) and ids[row] == passage_id:
                return row
        if self._by_passage is None:  # ids not as a build makes them, or an unknown id
            self._by_passage = {pid: row for row, pid in enumerate(ids)}
        return self._by_passage.get(passage_id)

    def query(self, question: str) -> Query:
        """The search terms and what else ``question`` says (`read_question`)."""
        return read_question(question, self.analyzer, self.taxonomy, self.options)

    def rank(self, query: Query, k: int, allowed: np.ndarray | None = None) -> list[Hit]:
        """The top ``k`` passages for ``query``, best first, before any is refused."""
        groups = [query.variants[t] for t in query.terms]
        weights = [query.ranking_weight(t, self.options) for t in query.terms]
        entity_rows = [self._entity_rows(query.entities.get(t, ())) for t in query.terms]
        titles = None
        if self.options.titles:
            titles = self.titles.scores(groups, weights, query.synonym_forms)
        return rank(
            self.index,
            self._layout,
            groups,
            weights,
            k,
            allowed,
            query.synonym_forms,
            entity_rows,
            self._entity_rows(query.positions),
            self.options,
            titles,
        )

    def search(
        self,
        query: Query,
        k: int,
        allowed: np.ndarray | None = None,
        match: SemanticMatch | None = None,
    ) -> list[Hit]:
        """The top ``k`` passages for ``query``, or none when `decide` refuses the question.

        ``match`` is the semantic stage's reading of the question, when it ran.
        """
        hits = self.rank(query, k, allowed)
        signals = self.signals(query, hits, match)
        return shown(hits) if decide(signals, self.thresholds).answer else []

    def signals(
        self, query: Query, hits: Sequence[Hit], match: SemanticMatch | None = None
    ) -> Signals:
        """What the answer-or-refuse decision weighs: ``query`` against the hit among the first
        `DECIDING_HITS` whose own words match most of it (learned expansions can rank first a
        passage that says none of the question's words); with ``match``, the semantic stage's
        similarity and its tuning questions nearest in meaning. A number or date asked for is
        missing when none of those hits worth showing (`shown`) states one."""
        if not hits or not query.terms:
            return Signals.nothing()
        rows = [h.row for h in hits[:DECIDING_HITS]]
        first = [self.passages[row] for row in rows]
        found = max(
            (query.matched(set(passage_tokens(p)), p.tags) for p in first),
            key=query.share,  # the first of equals
        )
        worth = [self.passages[h.row] for h in shown(hits[:DECIDING_HITS])]
        unsaid = [t for t in query.terms if not self._said(query, t)]
        unanswered = meaning = 0.0
        if self.precedents is not None and self.options.precedents:
            unanswered = self.precedents.unanswered(self._known_weights(query), rows)
        if self.semantic is not None and match is not None and self.options.precedents:
            meaning = self.semantic.unanswered(match, rows)
        return Signals(
            coverage=query.share(found),
            matched=len(found),
            unknown=query.share(unsaid),
            unknown_name=query.share(t for t in unsaid if t in query.names),
            similarity=match.signal if match is not None else None,
            quantity_missing=query.quantity is not None
            and not any(states_quantity(p.text, query.quantity) for p in worth),
            out_of_scope=query.share(
                t for t in query.terms if t in self.out_of_scope and t not in query.known
            ),
            unanswered=unanswered,
            unanswered_meaning=meaning,
        )

    @staticmethod
    def _known_weights(query: Query) -> dict[str, float]:
        """The weights of the question's terms the sources know (`knowledge.precedents`)."""
        return {t: w for t, w in query.weights.items() if t in query.known}

    def semantic_match(self, question: str, query: Query, depth: int) -> SemanticMatch | None:
        """The semantic stage's ``depth`` closest passages (`SemanticStage.read`), if it serves."""
        if self.semantic is None:
            return None
        return self.semantic.read(question, query, depth)

    def excerpts(
        self,
        query: Query,
        hits: Sequence[Hit],
        limit: int,
        match: SemanticMatch | None = None,
        answered_by: Mapping[int, int] | None = None,
    ) -> list[Excerpt]:
        """Excerpts of ``hits`` in order, near-duplicates dropped, at most ``limit``.

        A hit in ``answered_by`` (row -> its `sentence_spans` index: the sentence that answered
        the nearest tuning questions, `Precedents.focus`) shows that sentence; else, with the
        semantic stage's ``match``, its closest sentence.
        """
        shown: list[Excerpt] = []
        weights = query.highlight_weights
        focus = match.focus if match is not None else {}
        for hit in hits:
            passage = self.passages[hit.row]
            source = self.sources[self._source_rows[passage.source_id]]
            held = passage_sentences(passage)[focus[hit.row]] if hit.row in focus else None
            if answered_by and hit.row in answered_by:
                spans = sentence_spans(passage.text)
                if answered_by[hit.row] < len(spans):
                    start, end = spans[answered_by[hit.row]]
                    held = passage.text[start:end].strip()
            excerpt = make_excerpt(
                passage, source, weights, len(shown) + 1, hit.score, held, self._before(hit.row)
            )
            if not any(is_near_duplicate(excerpt, e) for e in shown):
                shown.append(excerpt)
            if len(shown) >= limit:
                break
        return shown

    def _before(self, row: int) -> str:
        """The text of the passage before ``row`` in the same source ("" for a first one)."""
        previous = int(self._layout.previous[row])
        return "" if previous == row else self.passages[previous].text

    def fuse_semantic(
        self,
        question: str,
        query: Query,
        hits: list[Hit],
        depth: int,
        match: SemanticMatch | None = None,
    ) -> list[Hit]:
        """BM25 ``hits`` blended (`blend`) with the stage's ``match`` (asked for when None).

        The closest passages BM25 did not list are scored by BM25 too. Unchanged when the
        stage does not serve or BM25 found nothing to answer with.
        """
        if not hits:
            return hits
        match = match or self.semantic_match(question, query, depth)
        if match is None:
            return hits
        listed = {hit.row for hit in hits}
        missing = [hit.row for hit in match.hits if hit.row not in listed]
        if missing:
            allowed = np.zeros(len(self.passages), dtype=bool)
            allowed[missing] = True
            hits = [*hits, *self.rank(query, len(missing), allowed)]
        rows = {hit.row for hit in hits} | {hit.row for hit in match.hits}
        similarity = {row: float(match.similarities[row]) for row in rows}
        return blend(hits, similarity)[:depth]

    def ask(self, question: str, top: int = 3, offset: int = 0) -> Answer:
        """Answer ``question`` with up to ``top`` excerpts, skipping the first ``offset``.

        "/demands russia", "outcomes istanbul" and the like get a structured answer.
        """
        routed = route(question, self.taxonomy) if self.taxonomy else None
        if routed is not None:
            return answer_topic(self, *routed, top=top, offset=offset, question=question)
        started = time.perf_counter()
        latest = asks_for_latest(question)  # then a separate step favours recent sources
        no_topic = latest and names_no_topic(question)  # "what's new?": newest first
        query = self.query(without_recency(question, no_topic) if latest else question)
        offset = max(0, min(offset, MAX_RESULTS))
        depth = LATEST_POOL if latest else min(MAX_RESULTS, 2 * (offset + top) + 2)
        precedents = self.precedents if self.options.precedents and not latest else None
        depth = max(depth, PRECEDENT_DEPTH) if precedents is not None else depth
        match = self.semantic_match(question, query, max(depth, FUSION_DEPTH))
        fused = depth if match is None else max(depth, FUSION_DEPTH)
        hits = self.search(query, fused, match=match)
        hits = self.fuse_semantic(question, query, hits, depth, match)
        answered_by = None
        if latest:
            hits = favour_recent(hits, self._published, no_topic)
        elif precedents is not None:  # recency decides a latest question
            semantic = self.semantic.votes(match) if self.semantic and match else None
            weights = self._known_weights(query)
            near = precedents.nearness(weights)
            moved = precedents.reorder(hits[:PRECEDENT_DEPTH], weights, semantic, near)
            hits = [*moved, *hits[PRECEDENT_DEPTH:]]
            if self.options.focus:
                answered_by = precedents.focus(near, {hit.row for hit in hits})
        shown = self.excerpts(query, hits, offset + top + 1, match, answered_by)
        suggested = () if shown else self.suggestions(query.language)
        answer = Answer.page_of(question, shown, offset, top, started, query.language, suggested)
        if latest:
            return replace(answer, as_of=newest(e.source.published for e in answer.excerpts))
        return answer

    def _published(self, row: int) -> str | None:
        """The date of the source of the passage at ``row``."""
        return self._heads[self._layout.source[row]].published  # no passage made

    def diff(self, old: Knowledge | None) -> KnowledgeDiff:
        """What changed from ``old`` to this load."""
        before = {s.id: s.digest for s in old._heads} if old else {}
        after = {s.id: s.digest for s in self._heads}
        changed = knowledge_diff(before, after, len(self.sources), len(self.passages))
        retagged = old is not None and taxonomy_digest(old.taxonomy) != taxonomy_digest(
            self.taxonomy
        )
        return replace(changed, taxonomy=retagged)

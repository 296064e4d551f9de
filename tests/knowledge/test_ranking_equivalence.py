"""The candidate-postings ranking path, pruned or not, ranks exactly as the dense one it replaced.

`_dense_rank` is the former implementation (one float vector of every passage per word
form and per group), kept here only as the reference: top-k rows must be equal and scores
close, with every feature on and with each switched off, over many random questions.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Sequence

import numpy as np
import pytest

from knowledge import pruning, ranking, scoring
from knowledge.features import FEATURES, PRODUCT, RankingOptions
from knowledge.index import BM25Index, top_k
from knowledge.ranking import (
    COVERAGE_POWER,
    ENTITY_FACTOR,
    FAVOUR_SHARE,
    NEIGHBOUR_WEIGHT,
    SYNONYM_FACTOR,
    PassageLayout,
    rank,
)
from knowledge.scoring import FULL_INHERITANCE, groups_of

N_PASSAGES = 600
VOCABULARY = [f"w{i}" for i in range(120)]


def _dense_group(index: BM25Index, group, weight, discounted) -> np.ndarray:
    columns = []
    for form in group:
        idf = index.idf(form)
        if form in index and idf > 0:
            factor = SYNONYM_FACTOR if form in discounted else 1.0
            columns.append(index.scores([form]) * (factor * weight / idf))
    if not columns:
        return np.zeros(len(index), dtype=np.float64)
    return columns[0] if len(columns) == 1 else np.maximum.reduce(columns)


def _dense_rank(
    passages: BM25Index,
    layout: PassageLayout,
    groups: Sequence[Sequence[str]],
    weights: Sequence[float],
    k: int,
    allowed: np.ndarray | None = None,
    discounted: Collection[str] = (),
    entity_rows: Sequence[np.ndarray | None] = (),
    favoured: np.ndarray | None = None,
    options: RankingOptions = PRODUCT,
    titles: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    entity_rows = list(entity_rows) or [None] * len(groups)
    owns = []
    for group, weight, tagged in zip(groups, weights, entity_rows, strict=True):
        own = _dense_group(passages, group, weight, discounted)
        owns.append(own if tagged is None else np.maximum(own, ENTITY_FACTOR * weight * tagged))
    total = np.sum(owns, axis=0) if owns else np.zeros(len(passages))
    rows = np.flatnonzero(total > 0)
    if not len(rows):
        return []
    source, previous, nxt = layout.source[rows], layout.previous[rows], layout.next[rows]
    inherited = np.zeros(len(rows), dtype=np.float64)
    covered = np.zeros(len(rows), dtype=np.float64)
    for own, weight in zip(owns, weights, strict=True):
        mine = own[rows]
        if not options.inherit:
            covered += np.where(mine > 0, weight, 0.0)
            continue
        nearby = np.maximum(own[previous], own[nxt]) * layout.has_neighbours[rows]
        # a source of more than FULL_INHERITANCE passages passes on a smaller share
        length = np.bincount(layout.source)[source]
        context = NEIGHBOUR_WEIGHT * np.minimum(1.0, FULL_INHERITANCE / length) * nearby
        inherited += np.where(mine > 0, 0.0, context)
        covered += np.where(mine > 0, weight, np.where(context > 0, weight / 2, 0.0))
    coverage = covered / (sum(weights) or 1.0)
    scores = total[rows] + inherited
    if options.coverage:
        scores = scores * coverage**COVERAGE_POWER
    if titles is not None:
        scores = scores + titles[source]
    if favoured is not None:
        scores = scores + FAVOUR_SHARE * scores.max() * favoured[rows]
    if allowed is not None:
        scores = np.where(allowed[rows], scores, 0.0)
    return [(int(rows[i]), float(scores[i])) for i in top_k(scores, k)]


@pytest.fixture(scope="module")
def corpus():
    """Zipfian passages in sources of 1-12 passages, with their index and layout."""
    rng = np.random.default_rng(7)
    p = 1.0 / np.arange(1, len(VOCABULARY) + 1)
    docs = [
        list(rng.choice(VOCABULARY, size=rng.integers(0, 25), p=p / p.sum()))
        for _ in range(N_PASSAGES)
    ]
    source_rows = np.repeat(np.arange(N_PASSAGES), rng.integers(1, 13, N_PASSAGES))[:N_PASSAGES]
    source_rows = np.unique(source_rows, return_inverse=True)[1]
    source_rows = rng.permutation(int(source_rows.max()) + 1)[source_rows]  # not in row order
    return BM25Index.build(docs), PassageLayout.of(source_rows.tolist())


def assert_ranks_as_dense(
    common: tuple, dense_tags: tuple, row_tags: tuple, options, titles=None
) -> None:
    """`rank` (tags as sorted rows) gives the dense reference's rows and scores (tags as masks)."""
    expected = _dense_rank(*common, *dense_tags, options, titles)
    hits = rank(*common, *row_tags, options, titles)
    assert [h.row for h in hits] == [row for row, _ in expected]
    np.testing.assert_allclose(
        [h.score for h in hits], [s for _, s in expected], rtol=1e-12, atol=0
    )


def _questions(rng: np.random.Generator, n: int):
    """Random questions: groups of 1-3 forms (some unknown), synonyms, tags, filters."""
    words = [*VOCABULARY, "unknown", "absent"]
    for _ in range(n):
        groups = [
            list(rng.choice(words, size=rng.integers(1, 4), replace=False))
            for _ in range(rng.integers(1, 5))
        ]
        weights = list(rng.uniform(0.2, 4.0, len(groups)))
        discounted = {f for g in groups for f in g[1:] if rng.random() < 0.5}
        masks = [
            rng.random(N_PASSAGES) < rng.choice([0.0, 0.01, 0.1]) if rng.random() < 0.4 else None
            for _ in groups
        ]
        favoured = rng.random(N_PASSAGES) < 0.05 if rng.random() < 0.4 else None
        allowed = rng.random(N_PASSAGES) < 0.7 if rng.random() < 0.3 else None
        yield groups, weights, discounted, masks, favoured, allowed


def _titles(rng: np.random.Generator, layout: PassageLayout) -> np.ndarray | None:
    """What random source titles give (a few sources, some strongly), or None."""
    if rng.random() < 0.4:
        return None
    n_sources = int(layout.source.max()) + 1
    return rng.exponential(2.0, n_sources) * (rng.random(n_sources) < 0.05)


OPTIONS = [PRODUCT, RankingOptions.plain()] + [PRODUCT.without(f) for f in FEATURES]


@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f for f in FEATURES if not getattr(o, f)) or "all-on"
)
def test_candidate_ranking_equals_the_dense_reference(corpus, options):
    index, layout = corpus
    rng = np.random.default_rng(11)
    for groups, weights, discounted, masks, favoured, allowed in _questions(rng, 150):
        titles = _titles(rng, layout)
        for k in (1, 10, N_PASSAGES):
            tagged = [None if m is None else np.flatnonzero(m) for m in masks]
            liked = None if favoured is None else np.flatnonzero(favoured)
            assert_ranks_as_dense(
                (index, layout, groups, weights, k, allowed, discounted),
                (masks, favoured), (tagged, liked), options, titles,
            )  # fmt: skip


def test_dense_masks_are_still_accepted(corpus):
    index, layout = corpus
    rng = np.random.default_rng(3)
    for groups, weights, discounted, masks, favoured, allowed in _questions(rng, 40):
        expected = _dense_rank(
            index, layout, groups, weights, 10, allowed, discounted, masks, favoured
        )
        hits = rank(index, layout, groups, weights, 10, allowed, discounted, masks, favoured)
        assert [h.row for h in hits] == [row for row, _ in expected]
        assert [h.score for h in hits] == pytest.approx([s for _, s in expected], rel=1e-12)


def test_the_reference_has_something_to_compare(corpus):
    index, layout = corpus
    rng = np.random.default_rng(11)
    ranked = [
        _dense_rank(index, layout, g, w, 10, a, d, m, f)
        for g, w, d, m, f, a in _questions(rng, 150)
    ]
    assert sum(len(r) == 10 for r in ranked) > 100  # most questions fill a top 10


QUESTIONS = [
    "What does Russia demand from Ukraine?",
    "Ukraine's demands at the Istanbul talks",
    "who mediates the negotiations between kyiv and moscow",
    "Putin position on a ceasefire",
    "Erdogan hosts talks in Istanbul, what did the delegations agree about prisoners?",
    "Що вимагає Росія від України?",
    "humanitarian corridors civilians",
]


@pytest.mark.parametrize("options", [*OPTIONS[:2], PRODUCT.without("entities")], ids=str)
def test_knowledge_ranks_as_the_dense_reference(shipped, options):
    kb = shipped.with_options(options)

    def mask(tags):
        rows = [kb.tag_rows[t] for t in tags if t in kb.tag_rows]
        return np.logical_or.reduce(rows) if rows else None

    tagged = favoured_seen = titled = 0
    for question in QUESTIONS:
        query = kb.query(question)
        groups = [query.variants[t] for t in query.terms]
        weights = [query.ranking_weight(t, options) for t in query.terms]
        masks = [mask(query.entities.get(t, ())) for t in query.terms]
        favoured = mask(query.positions)
        titles = kb.titles.scores(groups, weights, query.synonym_forms) if options.titles else None
        expected = _dense_rank(
            kb.index, kb._layout, groups, weights, 10, None,
            query.synonym_forms, masks, favoured, options, titles,
        )  # fmt: skip
        hits = kb.rank(query, 10)
        assert [h.row for h in hits] == [row for row, _ in expected], question
        np.testing.assert_allclose([h.score for h in hits], [s for _, s in expected], rtol=1e-12)
        tagged += any(m is not None for m in masks)
        titled += titles is not None and titles.any()
        favoured_seen += favoured is not None
    if options == PRODUCT:  # entity tags, asked-for positions and titles took part
        assert tagged and favoured_seen and titled


@pytest.fixture(params=[1.0, 0.2], ids=["scale-1", "scale-0.2"])
def always_pruned(monkeypatch, request):
    """Prune every question of two terms or more, however few its postings, learn θ from few
    rows, and weigh own scores against weights in the keys as given (any scale is exact)."""
    monkeypatch.setattr(pruning, "MIN_POSTINGS", 0)
    monkeypatch.setattr(pruning, "PAYS", float("inf"))
    monkeypatch.setattr(pruning, "SEED_ROWS", 8)
    monkeypatch.setattr(pruning, "SCALE", request.param)


@pytest.fixture(params=sorted({COVERAGE_POWER, 1.0, 0.5, 0.3}), ids=lambda p: f"power-{p}")
def coverage_power(monkeypatch, request):
    """The coverage exponent everywhere it is read: the pruning bound holds for each of them."""
    for module in (scoring, ranking, pruning, sys.modules[__name__]):
        monkeypatch.setattr(module, "COVERAGE_POWER", request.param)


@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f for f in FEATURES if not getattr(o, f)) or "all-on"
)
def test_pruned_ranking_equals_the_dense_reference(corpus, options, always_pruned, coverage_power):
    index, layout = corpus
    rng = np.random.default_rng(5)
    pruned = 0
    for groups, weights, discounted, masks, favoured, allowed in _questions(rng, 150):
        tagged = [None if m is None else np.flatnonzero(m) for m in masks]
        liked = None if favoured is None else np.flatnonzero(favoured)
        found = groups_of(index, groups, weights, discounted, tagged)
        titles = _titles(rng, layout)
        for k in (1, 3, 10):
            assert_ranks_as_dense(
                (index, layout, groups, weights, k, allowed, discounted),
                (masks, favoured), (tagged, liked), options, titles,
            )  # fmt: skip
            rows = pruning.reachable_rows(found, layout, k, allowed, liked, options)
            candidates = {r for g in found for rows in g.rows() for r in rows.tolist()}
            pruned += rows is not None and len(candidates - set(rows.tolist())) > 0
    assert pruned > 50  # rows were left out, and the top k stayed the same

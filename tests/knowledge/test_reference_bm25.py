"""BM25Index against rank-bm25's BM25Okapi on the same tokens: equal top-10, allclose scores."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from knowledge.index import BM25Index, BM25Params

TERMS = list("abcdefgh")
terms = st.sampled_from([*TERMS, "zz"])  # "zz" is never in a document
# from 3 passages: below, rank-bm25's idf is 0 or less for every word (see the test below)
docs_strategy = st.lists(st.lists(st.sampled_from(TERMS), max_size=12), min_size=3, max_size=30)
docs_strategy = docs_strategy.filter(lambda docs: any(docs))  # rank-bm25 needs one token
queries = st.lists(terms, max_size=8)


def reference_top(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[int]:
    """rank-bm25's ranking: positive scores, best first, ties by row."""
    rows = [r for r in range(len(scores)) if scores[r] > 0 and (allowed is None or allowed[r])]
    return sorted(rows, key=lambda r: (-scores[r], r))[:k]


def assert_same(index: BM25Index, reference: BM25Okapi, query: list[str], k: int = 10) -> None:
    """Scores allclose (relative 1e-9), top-k rows equal, hit scores equal to the reference's."""
    expected = reference.get_scores(query)
    np.testing.assert_allclose(index.scores(query), expected, rtol=1e-9, atol=1e-12)
    hits = index.search(query, k)
    assert [h.row for h in hits] == reference_top(expected, k)
    np.testing.assert_allclose([h.score for h in hits], expected[[h.row for h in hits]], rtol=1e-9)


@settings(max_examples=300, deadline=None)
@given(docs=docs_strategy, query=queries)
def test_random_small_corpora_match_rank_bm25(docs: list[list[str]], query: list[str]) -> None:
    assert_same(BM25Index.build(docs), BM25Okapi(docs), query)


@settings(max_examples=100, deadline=None)
@given(
    docs=docs_strategy,
    query=queries,
    k1=st.floats(0.1, 3.0),
    b=st.floats(0.0, 0.99),  # b=1 makes rank-bm25 divide 0/0 for an empty passage
    epsilon=st.floats(0.0, 1.0),
)
def test_other_parameters_match_rank_bm25(docs, query, k1, b, epsilon) -> None:
    index = BM25Index.build(docs, BM25Params(k1=k1, b=b, epsilon=epsilon))
    assert_same(index, BM25Okapi(docs, k1=k1, b=b, epsilon=epsilon), query)


def test_one_or_two_passages_still_match_with_lucenes_idf() -> None:
    # rank-bm25 scores nothing here: a word in 1 of 2 passages has idf log(1.5/1.5) = 0
    docs = [["minsk", "agreement", "sign"], ["geneva", "energy", "truce"]]
    assert not BM25Okapi(docs).get_scores(["minsk"]).any()
    index = BM25Index.build(docs)
    assert [h.row for h in index.search(["minsk", "agreement"], 2)] == [0]
    assert index.idf("minsk") == pytest.approx(np.log(2.0))  # log(1 + 1.5 / 1.5)
    assert [h.row for h in BM25Index.build(docs[:1]).search(["minsk"], 1)] == [0]


@pytest.fixture(scope="module")
def zipf_corpus() -> list[list[str]]:
    """600 passages of 5-80 tokens over a Zipfian vocabulary of 400 words (fixed seed)."""
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(400)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    return [rng.choices(vocab, weights, k=rng.randint(5, 80)) for _ in range(600)]


def test_zipf_corpus_matches_rank_bm25_with_epsilon_terms(zipf_corpus) -> None:
    index, reference = BM25Index.build(zipf_corpus), BM25Okapi(zipf_corpus)
    common = [t for t in index.vocabulary if index.doc_freq(t) > len(zipf_corpus) / 2]
    assert common, "the corpus must have terms in more than half the passages"
    for term in common:  # negative idf replaced by epsilon * average idf
        assert index.idf(term) == pytest.approx(0.25 * reference.average_idf, rel=1e-12)
    rng = random.Random(11)
    vocab = sorted(index.vocabulary)
    for _ in range(150):
        query = rng.choices([*vocab[:20], *vocab, "unknown"], k=rng.randint(1, 8))
        assert_same(index, reference, query)
    assert_same(index, reference, [common[0], common[0], "w399", "w399", "nope"])


def test_allowed_mask_filters_inside_the_ranking(zipf_corpus) -> None:
    index, reference = BM25Index.build(zipf_corpus), BM25Okapi(zipf_corpus)
    rng = np.random.default_rng(3)
    for query in (["w5", "w50"], ["w0", "w1", "w2"], ["w300"]):
        allowed = rng.random(len(zipf_corpus)) < 0.3
        hits = index.search(query, 10, allowed)
        assert hits and all(allowed[h.row] for h in hits)
        assert [h.row for h in hits] == reference_top(reference.get_scores(query), 10, allowed)

"""BM25Index's API: vocabulary, idf, empty inputs, ties, k and the allowed mask."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from knowledge.index import (
    BM25Index,
    BM25Params,
    PassageTerms,
    said_doc_freq,
    term_counts,
    term_ids,
)
from knowledge.models import Hit

DOCS = [
    ["ceasefir", "talk", "istanbul"],
    ["russia", "demand", "talk", "talk"],
    ["ukrain", "demand", "guarante"],
    ["minsk", "ceasefir", "osce"],
    ["talk"],
]


@pytest.fixture
def index() -> BM25Index:
    return BM25Index.build(DOCS)


def test_size_vocabulary_and_membership(index: BM25Index) -> None:
    assert len(index) == index.n_docs == 5
    assert set(index.vocabulary) == {t for doc in DOCS for t in doc}
    assert "talk" in index and "nato" not in index


def test_doc_freq_counts_passages_not_occurrences(index: BM25Index) -> None:
    assert index.doc_freq("talk") == 3
    assert index.doc_freq("minsk") == 1
    assert index.doc_freq("nato") == 0


def test_idf_is_rank_bm25_formula_with_epsilon_floor(index: BM25Index) -> None:
    assert index.idf("minsk") == pytest.approx(math.log(4.5) - math.log(1.5))
    dfs = {t: index.doc_freq(t) for t in index.vocabulary}
    average = sum(math.log(5 - df + 0.5) - math.log(df + 0.5) for df in dfs.values()) / len(dfs)
    assert index.idf("talk") == pytest.approx(0.25 * average)  # df 3 of 5: negative, floored
    assert index.idf("nato") == 0.0


def test_search_ranks_by_score_and_skips_zero_scores(index: BM25Index) -> None:
    hits = index.search(["minsk", "talk"], 10)
    assert hits[0].row == 3  # the only passage with the rare term
    assert {h.row for h in hits} == {0, 1, 3, 4}  # passage 2 has neither term
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(isinstance(h, Hit) and h.score > 0 for h in hits)


def test_duplicate_query_terms_count_each_time(index: BM25Index) -> None:
    once, twice = index.scores(["minsk"]), index.scores(["minsk", "minsk"])
    np.testing.assert_allclose(twice, 2 * once)


def test_unknown_and_empty_queries_give_no_hits(index: BM25Index) -> None:
    assert index.search(["nato"], 5) == []
    assert index.search([], 5) == []
    assert not index.scores(["nato"]).any()


def test_k_limits_hits(index: BM25Index) -> None:
    assert len(index.search(["talk", "ceasefir"], 2)) == 2
    assert index.search(["talk"], 0) == []


def test_ties_break_by_row_ascending() -> None:
    tied = BM25Index.build([["x", "y"], ["z"], ["y", "x"], ["x", "y"], ["q"], ["r"], ["s"]])
    hits = tied.search(["x"], 2)
    assert [h.row for h in hits] == [0, 2]
    assert [h.row for h in tied.search(["x"], 10)] == [0, 2, 3]


def test_allowed_mask_keeps_only_allowed_rows(index: BM25Index) -> None:
    allowed = np.array([False, True, False, False, True])
    hits = index.search(["talk", "ceasefir"], 10, allowed)
    assert [h.row for h in hits] == [4, 1]  # the one-token passage first: shorter is better
    assert index.search(["minsk"], 10, allowed) == []


def test_empty_corpus_and_empty_documents() -> None:
    empty = BM25Index.build([])
    assert len(empty) == 0 and empty.search(["talk"], 3) == [] and len(empty.scores(["a"])) == 0
    blank = BM25Index.build([[], []])
    assert len(blank) == 2 and blank.search(["talk"], 3) == [] and "talk" not in blank


def test_parameters_change_scores() -> None:
    docs = [["a", "b"], ["a"] * 5 + ["c"], ["c", "d"], ["e"], ["f"]]
    default, flat = BM25Index.build(docs), BM25Index.build(docs, BM25Params(k1=0.5, b=0.0))
    assert default.params == BM25Params() and flat.params.k1 == 0.5
    assert not np.allclose(default.scores(["a"]), flat.scores(["a"]))


def test_build_keeps_the_term_ids_it_numbered() -> None:
    docs = [["minsk", "talk", "minsk"], [], ["istanbul", "talk"]]
    index, kept = BM25Index.build_with_terms(docs)
    vocabulary = list(index.vocabulary)
    decoded = [
        [vocabulary[t] for t in kept.terms[a:b]] for a, b in itertools.pairwise(kept.offsets)
    ]
    assert decoded == docs
    assert kept.terms.tolist() == PassageTerms.of(docs, index.column).terms.tolist()
    plain = BM25Index.build(docs)
    assert plain.search(["talk", "minsk"], 3) == index.search(["talk", "minsk"], 3)


def test_learned_words_leave_the_idf_of_words_the_passages_say() -> None:
    # each passage's last tokens are learned (a tuning question's words): "talk" is said by
    # passage 0 only, then learned by three more; "biggest" is only learned
    own = [["talk", "istanbul"], ["grain", "odesa"], ["osce", "monitor"], ["minsk"], ["kharkiv"]]
    learned = [[], ["talk"], ["talk", "biggest"], ["talk", "biggest"], []]
    docs = [o + w for o, w in zip(own, learned, strict=True)]
    counts = np.array([len(w) for w in learned], dtype=np.int64)
    index, _ = BM25Index.with_terms(*term_ids(docs), learned=counts)
    assert index.doc_freq("talk") == 4  # passages that hold it, learned or said
    assert index.idf("talk") == pytest.approx(math.log(4.5) - math.log(1.5))  # said by one
    assert index.idf("biggest") == pytest.approx(math.log(3.5) - math.log(2.5))  # learned by two
    plain, _ = BM25Index.with_terms(*term_ids(docs))
    assert plain.idf("talk") < index.idf("talk") / 2  # counted over 4 of 5: floored
    assert {h.row for h in index.search(["talk"], 5)} == {0, 1, 2, 3}  # the learned still match


def test_the_passages_that_say_a_word_are_counted_from_their_own_tokens_only() -> None:
    rng = np.random.default_rng(7)
    own = [[f"w{rng.integers(30)}" for _ in range(rng.integers(0, 8))] for _ in range(60)]
    taught = [[f"w{rng.integers(40)}" for _ in range(rng.integers(0, 5))] for _ in range(60)]
    taught = [words if i % 3 == 0 else [] for i, words in enumerate(taught)]
    vocab, flat, lengths = term_ids([o + w for o, w in zip(own, taught, strict=True)])
    learned = np.array([len(w) for w in taught], dtype=np.int64)
    doc_freq = np.diff(term_counts(flat, lengths, len(vocab)).indptr)
    said = said_doc_freq(doc_freq, flat, lengths, learned)
    assert {t: int(said[c]) for t, c in vocab.items()} == {
        t: sum(t in words for words in own) for t in vocab
    }

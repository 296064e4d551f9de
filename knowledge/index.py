"""Exact BM25 (rank-bm25's ``BM25Okapi``) with impact weights precomputed at index time.

Every (passage, term) pair gets its BM25 contribution once, at build time, in a sparse
matrix (rows = passages, columns = terms). A query adds its terms' columns into a dense
score vector, in query order, with the same float64 operations rank-bm25 performs, so the
scores are equal to ``BM25Okapi(docs).get_scores(query)`` bit for bit.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from knowledge.models import Hit


@dataclass(frozen=True, slots=True)
class BM25Params:
    """BM25Okapi's parameters, with rank-bm25's defaults."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


def term_ids(docs: Sequence[Sequence[str]]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """Number terms by first occurrence; return the vocabulary, int32 term ids, int64 lengths."""
    vocab: dict[str, int] = {}
    flat = array("i")  # C ints, one document at a time: no list of every token
    lengths = np.empty(len(docs), dtype=np.int64)
    for row, doc in enumerate(docs):
        flat.extend([vocab.setdefault(term, len(vocab)) for term in doc])
        lengths[row] = len(doc)
    return vocab, np.frombuffer(flat, dtype=np.intc), lengths


@dataclass(frozen=True, slots=True, eq=False)
class PassageTerms:
    """Every passage's tokens as term ids of the index vocabulary, kept from the build."""

    terms: np.ndarray  # int32[n_tokens]: passage after passage
    offsets: np.ndarray  # int64[n_passages + 1]: where each passage's ids start and end

    @classmethod
    def of(cls, docs: Sequence[Sequence[str]], column: Mapping[str, int]) -> PassageTerms:
        """``docs`` numbered by ``column`` (every token must be in it)."""
        flat = array("i")
        lengths = np.empty(len(docs), dtype=np.int64)
        for row, doc in enumerate(docs):
            flat.extend([column[term] for term in doc])
            lengths[row] = len(doc)
        return cls(np.frombuffer(flat, dtype=np.intc), _offsets(lengths))


def _offsets(lengths: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def term_frequencies(flat: np.ndarray, lengths: np.ndarray, n_terms: int) -> sp.csr_matrix:
    """int[n_docs, n_terms] term counts (CSR, sorted), from flat term ids and doc lengths.

    ``flat`` becomes the matrix's index array and is sorted and compacted in place: do not
    use it afterwards.
    """
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    ones = np.ones(len(flat), dtype=np.int32)
    counts = sp.csr_matrix((ones, flat, indptr), shape=(len(lengths), n_terms))
    counts.sum_duplicates()  # sorts each row's terms and adds up repeats, in place
    return counts


def term_counts(flat: np.ndarray, lengths: np.ndarray, n_terms: int) -> sp.csc_matrix:
    """int32[n_docs, n_terms] term counts (CSC, sorted), as :func:`term_frequencies` by term.

    ``flat`` is only read: the by-term copy is made by the conversion, then summed.
    """
    indptr = _offsets(lengths)
    ones = np.ones(len(flat), dtype=np.int32)
    rows = sp.csr_matrix((ones, flat, indptr), shape=(len(lengths), n_terms))
    counts = rows.tocsc()  # rows in order within each column: repeats side by side
    del rows, ones
    counts.sum_duplicates()
    return counts


def said_doc_freq(
    doc_freq: np.ndarray, flat: np.ndarray, lengths: np.ndarray, learned: np.ndarray
) -> np.ndarray:
    """int64[n_terms]: passages whose own tokens hold each term, from ``doc_freq`` (passages
    holding it at all). A passage's last ``learned`` tokens are learned, not its own; only the
    passages that have some are counted again, so the work is theirs, not the corpus's."""
    rows = np.flatnonzero(learned)
    offsets = _offsets(lengths)
    whole = [flat[offsets[r] : offsets[r + 1]] for r in rows]
    own = [tokens[: len(tokens) - learned[r]] for tokens, r in zip(whole, rows, strict=True)]

    def passages_with(parts: list[np.ndarray]) -> np.ndarray:
        sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        counts = term_counts(np.concatenate(parts), sizes, len(doc_freq))
        return np.diff(counts.indptr).astype(np.int64)

    return doc_freq - passages_with(whole) + passages_with(own)


def raw_idf(doc_freq: np.ndarray, n_docs: int) -> np.ndarray:
    """``log(N - df + 0.5) - log(df + 0.5)``, with ``math.log`` as rank-bm25 computes it."""
    distinct, inverse = np.unique(doc_freq, return_inverse=True)
    logs = [math.log(n_docs - df + 0.5) - math.log(df + 0.5) for df in distinct.tolist()]
    return np.array(logs, dtype=np.float64)[inverse]


def floored_idf(idf: np.ndarray, epsilon: float) -> tuple[np.ndarray, float]:
    """Replace negative idf by ``epsilon * average idf``; return the idf and that average.

    The average is a sequential sum in first-occurrence order (``cumsum``), as rank-bm25's loop.
    """
    average = float(np.cumsum(idf)[-1]) / len(idf) if len(idf) else 0.0
    return np.where(idf < 0, epsilon * average, idf), average


def positive_idf(doc_freq: np.ndarray, n_docs: int) -> np.ndarray:
    """``log(1 + (N - df + 0.5) / (df + 0.5))``: Lucene's idf, above 0 for every word."""
    return np.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def length_norm(doc_len: np.ndarray, avgdl: float, params: BM25Params) -> np.ndarray:
    """float64[n_docs]: ``k1 * (1 - b + b * dl / avgdl)``, in rank-bm25's operation order."""
    k1, b = params.k1, params.b
    return k1 * (1 - b + b * doc_len / avgdl)


def impact(tf: np.ndarray, norm: np.ndarray, idf: np.ndarray, params: BM25Params) -> np.ndarray:
    """float64[nnz]: ``idf * (tf * (k1 + 1) / (tf + norm))`` per posting, in place where possible.

    Same float64 operations as rank-bm25's ``get_scores``, so each weight is bit-identical.
    """
    weight = tf * (params.k1 + 1)
    weight /= tf + norm
    weight *= idf
    return weight


IMPACT_CHUNK = 1 << 20  # postings weighed at once: bounds the float64 temporaries (8 MiB each)


def column_impacts(
    counts: sp.csc_matrix, norm: np.ndarray, idf: np.ndarray, params: BM25Params
) -> np.ndarray:
    """float64[nnz]: :func:`impact` of each posting of ``counts`` (CSC), by blocks of columns.

    ``norm`` is float64[n_docs] (:func:`length_norm`), ``idf`` float64[n_terms].
    """
    indptr, nnz = counts.indptr, counts.nnz
    data = np.empty(nnz, dtype=np.float64)
    cuts = np.searchsorted(indptr, np.arange(0, nnz, IMPACT_CHUNK), side="right") - 1
    edges = np.unique(np.concatenate([cuts, [0, counts.shape[1]]]))
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        a, b = int(indptr[lo]), int(indptr[hi])
        term_idf = np.repeat(idf[lo:hi], np.diff(indptr[lo : hi + 1]))
        data[a:b] = impact(counts.data[a:b], norm[counts.indices[a:b]], term_idf, params)
    return data


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the ``k`` best positive scores, by score descending then row ascending.

    Partitions only the positive scores (a query touches a fraction of the rows), keeps every
    row tied with the k-th best, then sorts those few by (-score, row).
    """
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > k:
        values = scores[candidates]
        kth = np.partition(values, len(values) - k)[len(values) - k]  # the k-th largest
        candidates = candidates[values >= kth]
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order][:k]


class BM25Index:
    """An immutable BM25Okapi index over tokenised passages (row ``i`` is ``docs[i]``)."""

    def __init__(
        self,
        vocab: dict[str, int],
        weights: sp.csc_matrix,
        doc_freq: np.ndarray,
        idf: np.ndarray,
        params: BM25Params,
        avgdl: float,
    ) -> None:
        """Wrap prebuilt parts; use :meth:`build` (or ``knowledge.store.load_index``)."""
        self._vocab = vocab
        self.weights = weights  # float64[n_docs, n_terms], CSC: one column per term
        self._doc_freq = doc_freq  # int64[n_terms]
        self._idf = idf  # float64[n_terms], after the epsilon floor
        self.params = params
        self.avgdl = avgdl
        self.n_docs = weights.shape[0]

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]], params: BM25Params = BM25Params()) -> BM25Index:
        """Index ``docs`` (lists of tokens); row ``i`` of every result is ``docs[i]``."""
        return cls.from_term_ids(*term_ids(docs), params)

    @classmethod
    def build_with_terms(
        cls, docs: Sequence[Sequence[str]], params: BM25Params = BM25Params()
    ) -> tuple[BM25Index, PassageTerms]:
        """:meth:`build`, and the passages' term ids it numbered (kept, not recomputed)."""
        return cls.with_terms(*term_ids(docs), params)

    @classmethod
    def with_terms(
        cls,
        vocab: dict[str, int],
        flat: np.ndarray,
        lengths: np.ndarray,
        params: BM25Params = BM25Params(),
        learned: np.ndarray | None = None,
    ) -> tuple[BM25Index, PassageTerms]:
        """:meth:`from_term_ids`, keeping the term ids as `PassageTerms` (read, not copied).

        ``learned``: how many of each passage's tokens, its last, are learned words rather
        than its own (`knowledge.expansions`). A word's idf then counts the passages that say
        it, not those that only learned it: else every question word the tuning questions
        spread over half the passages ("agree", "truce") weighs next to nothing.
        """
        counts = term_counts(flat, lengths, len(vocab))
        said = None
        if learned is not None and learned.any():
            said = said_doc_freq(np.diff(counts.indptr), flat, lengths, learned)
        return cls.from_counts(vocab, counts, lengths, params, said), PassageTerms(
            flat, _offsets(lengths)
        )

    @classmethod
    def from_term_ids(
        cls,
        vocab: dict[str, int],
        flat: np.ndarray,
        lengths: np.ndarray,
        params: BM25Params = BM25Params(),
    ) -> BM25Index:
        """The index of documents given as term ids (``flat`` is consumed: sorted in place)."""
        counts = term_frequencies(flat, lengths, len(vocab)).tocsc()  # int32 counts, by term
        del flat
        return cls.from_counts(vocab, counts, lengths, params)

    @classmethod
    def from_counts(
        cls,
        vocab: dict[str, int],
        counts: sp.csc_matrix,
        lengths: np.ndarray,
        params: BM25Params = BM25Params(),
        said: np.ndarray | None = None,
    ) -> BM25Index:
        """The index of documents given as term counts (int[n_docs, n_terms], CSC, sorted).

        ``said``: the passages whose own words hold each term, when some of the counted words
        are learned; the idf of a term some passage says counts those (`with_terms`).
        """
        n_docs = len(lengths)
        doc_freq = np.diff(counts.indptr).astype(np.int64)  # a column's entries: its passages
        basis = doc_freq if said is None else np.where(said > 0, said, doc_freq)
        idf, _ = floored_idf(raw_idf(basis, n_docs), params.epsilon)
        if n_docs <= 2:  # rank-bm25 gives every word of one or two passages an idf of 0 or
            idf = positive_idf(basis, n_docs)  # less: nothing would match; Lucene's idf does
        total = int(lengths.sum())
        avgdl = total / n_docs if total else 1.0  # no tokens: no postings to weigh
        norm = length_norm(lengths, avgdl, params)
        data = column_impacts(counts, norm, idf, params)
        weights = sp.csc_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
        return cls(vocab, weights, doc_freq, idf, params, avgdl)

    def __len__(self) -> int:
        """Number of indexed passages."""
        return self.n_docs

    def __contains__(self, term: object) -> bool:
        """Whether ``term`` occurs in any passage."""
        return term in self._vocab

    def doc_freq(self, term: str) -> int:
        """How many passages contain ``term`` (0 if unknown)."""
        col = self._vocab.get(term)
        return 0 if col is None else int(self._doc_freq[col])

    def idf(self, term: str) -> float:
        """rank-bm25's idf of ``term`` after the epsilon floor; 0.0 if unknown."""
        col = self._vocab.get(term)
        return 0.0 if col is None else float(self._idf[col])

    @property
    def vocabulary(self) -> Collection[str]:
        """Every indexed term, in column order."""
        return self._vocab.keys()

    @property
    def column(self) -> Mapping[str, int]:
        """Each indexed term's column (term id)."""
        return self._vocab

    @property
    def doc_freqs(self) -> np.ndarray:
        """int64[n_terms]: passages containing each column's term."""
        return self._doc_freq

    @property
    def idfs(self) -> np.ndarray:
        """float64[n_terms]: each column's idf after the epsilon floor."""
        return self._idf

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """``term``'s postings: the rows that contain it and their BM25 scores for it.

        Read-only views of the precomputed weights (empty when ``term`` is unknown); the
        scores are those `scores` adds for the term, bit for bit.
        """
        col = self._vocab.get(term)
        if col is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        start, end = self.weights.indptr[col], self.weights.indptr[col + 1]
        return self.weights.indices[start:end], self.weights.data[start:end]

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """float64[n_docs]: each passage's BM25 score, equal to rank-bm25's ``get_scores``."""
        scores = np.zeros(self.n_docs, dtype=np.float64)
        indptr, indices, data = self.weights.indptr, self.weights.indices, self.weights.data
        for term in query:  # duplicates count as often as they occur, as in rank-bm25
            col = self._vocab.get(term)
            if col is not None:
                start, end = indptr[col], indptr[col + 1]
                scores[indices[start:end]] += data[start:end]
        return scores

    def search(self, query: Sequence[str], k: int, allowed: np.ndarray | None = None) -> list[Hit]:
        """The top ``k`` passages with a positive score (only rows where ``allowed`` is True)."""
        scores = self.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        return [Hit(int(row), float(scores[row])) for row in top_k(scores, k)]

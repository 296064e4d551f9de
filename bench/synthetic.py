"""Synthetic tokenised corpora and queries for ``bench``: Zipfian words, realistic lengths.

A corpus of ``n`` passages is the first ``n`` passages of one fixed stream (generated in
seeded chunks), so every size shares its prefix with the larger ones, and the 200 queries
are the same at every size.
"""

from __future__ import annotations

import numpy as np

VOCABULARY = 500_000  # distinct words the stream can draw from
ZIPF_S = 1.05  # word frequency ~ 1 / rank**s, as in natural text
MEDIAN_TOKENS = 50  # tokens per passage after stopwords (lognormal around this)
CHUNK = 10_000  # passages per seeded chunk
SEED = 20_260_301


def words(n: int = VOCABULARY) -> list[str]:
    """``n`` unique pronounceable-looking words, most frequent first (vectorised).

    Word ``r`` spells ``r + 289`` in base 17 with consonants, least significant first,
    each consonant followed by a vowel: ``bibece``, ``cmbece``, ...
    """
    consonants = np.frombuffer(b"bcdfghjklmnprstvz", dtype=np.uint8)
    vowels = np.frombuffer(b"aeimq", dtype=np.uint8)
    base, digits = len(consonants), 1
    while base**digits <= n + base**2:
        digits += 1
    ranks = np.arange(n, dtype=np.int64) + base**2  # at least three letters
    letters = np.zeros((n, 2 * digits), dtype=np.uint8)  # trailing NULs end a word
    for i in range(digits):
        alive = ranks > 0
        ranks, digit = np.divmod(ranks, base)
        letters[:, 2 * i] = np.where(alive, consonants[digit], 0)
        letters[:, 2 * i + 1] = np.where(alive, vowels[(ranks + digit) % len(vowels)], 0)
    return letters.view(f"S{2 * digits}").ravel().astype(str).tolist()


def zipf_cdf(n: int = VOCABULARY, s: float = ZIPF_S) -> np.ndarray:
    """float64[n]: cumulative probability of ranks 0..n-1."""
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    return np.cumsum(weights) / weights.sum()


def passage_lengths(rng: np.random.Generator, n: int) -> np.ndarray:
    """int64[n]: lognormal token counts, median ``MEDIAN_TOKENS``, clipped to 5..400."""
    lengths = rng.lognormal(np.log(MEDIAN_TOKENS), 0.5, size=n)
    return np.clip(lengths.round(), 5, 400).astype(np.int64)


def corpus(size: int, seed: int = SEED) -> list[list[str]]:
    """The first ``size`` passages of the fixed stream, as lists of tokens."""
    vocab, cdf, docs = words(), zipf_cdf(), []
    for chunk in range(0, size, CHUNK):
        rng = np.random.default_rng([seed, chunk // CHUNK])
        lengths = passage_lengths(rng, CHUNK)[: size - chunk]  # whole chunks: prefix-stable
        ranks = np.searchsorted(cdf, rng.random(int(lengths.sum())), side="right")
        tokens = [vocab[r] for r in np.minimum(ranks, len(vocab) - 1).tolist()]
        ends = np.cumsum(lengths).tolist()
        docs.extend(tokens[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True))
    return docs


def queries(n: int = 200, seed: int = SEED) -> list[list[str]]:
    """``n`` fixed queries of 1-8 terms: mostly content words, some common, a few unknown."""
    rng = np.random.default_rng([seed, 1_000_000])
    vocab, result = words(), []
    for _ in range(n):
        length = int(rng.integers(1, 9))
        # log-uniform ranks 20..20000: common words to rare ones, like real questions
        ranks = np.exp(rng.uniform(np.log(20), np.log(20_000), size=length)).astype(int)
        terms = [vocab[r] for r in ranks.tolist()]
        if rng.random() < 0.05:
            terms[-1] = "qqunknown"  # a word no passage has
        result.append(terms)
    return result

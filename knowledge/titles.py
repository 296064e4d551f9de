"""Source titles as a small BM25 index: how well each source's title matches a question.

A title names what the whole article is about, so every passage of a source whose title
matches the question gains ``TITLE_SHARE`` of the title's score (`knowledge.ranking.rank`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import numpy as np

from knowledge.index import BM25Index, PassageTerms
from knowledge.language.tokenize import tokenize
from knowledge.rows import union
from knowledge.scoring import groups_of, own_scores

__all__ = ["TITLE_SHARE", "SourceTitles"]

TITLE_SHARE = 0.35  # share of its source title's score a passage gains


class SourceTitles:
    """The sources' titles, indexed (row = source row), and their term ids for the snapshot."""

    def __init__(self, index: BM25Index, terms: PassageTerms) -> None:
        """Wrap the titles' ``index`` and the term ids it was built from."""
        self.index = index
        self.terms = terms

    @classmethod
    def of(cls, titles: Iterable[str]) -> SourceTitles:
        """Tokenize and index ``titles``, one per source, in source row order."""
        return cls.of_tokens([tokenize(title) for title in titles])

    @classmethod
    def of_tokens(cls, titles: Sequence[Sequence[str]]) -> SourceTitles:
        """Index titles given as their tokens, one per source, in source row order."""
        return cls(*BM25Index.build_with_terms(titles))

    @classmethod
    def from_term_ids(cls, vocabulary: Sequence[str], terms: PassageTerms) -> SourceTitles:
        """Index titles saved as term ids of ``vocabulary`` (``terms`` is only read)."""
        column = {term: i for i, term in enumerate(vocabulary)}
        return cls(BM25Index.with_terms(column, terms.terms, np.diff(terms.offsets))[0], terms)

    @property
    def vocabulary(self) -> list[str]:
        """The titles' terms, in term id order."""
        return list(self.index.vocabulary)

    def __len__(self) -> int:
        """How many sources."""
        return len(self.index)

    def scores(
        self,
        groups: Sequence[Sequence[str]],
        weights: Sequence[float],
        discounted: Collection[str] = (),
    ) -> np.ndarray:
        """float64[n_sources]: what each source's title gives its passages for the question.

        A title scores as a passage does: each term group by its best form, with the term's
        ``weight`` in place of the form's idf (synonyms in ``discounted`` at a discount), but
        never more than the form's idf among titles; the sum is scaled by ``TITLE_SHARE``.
        """
        total = np.zeros(len(self.index), dtype=np.float64)
        # a word in most titles says little about which article: its title idf caps it
        capped = [
            min(weight, max((self.index.idf(f) for f in group if f in self.index), default=0.0))
            for group, weight in zip(groups, weights, strict=True)
        ]
        for group in groups_of(self.index, groups, capped, discounted):
            titled = union([form.rows for form in group.forms], len(self.index))[0]
            total[titled] += own_scores(group, titled)
        return TITLE_SHARE * total

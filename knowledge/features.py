"""Which ranking features a search uses: one switch per feature, for ablation and the floor.

Every switch on is the product; every switch off (`RankingOptions.plain`) is plain BM25 over
the product's tokens, equal to rank-bm25's ``BM25Okapi`` scores (tests/knowledge/test_ablation).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

__all__ = ["FEATURES", "PRODUCT", "RankingOptions"]


@dataclass(frozen=True, slots=True)
class RankingOptions:
    """Ranking feature switches; the defaults are what the product ships."""

    filler: bool = True  # question words ("tell", "happened") are not searched
    spelling: bool = True  # a word the sources never use is corrected to one they do
    variants: bool = True  # a term also matches its derivational variants (russia ~ russian)
    synonyms: bool = True  # a term also matches its synonyms (synonyms.yaml) at a discount
    entities: bool = True  # an alias matches passages tagged with its taxonomy entry
    inherit: bool = True  # a passage inherits terms its source is about or its neighbours have
    coverage: bool = True  # scores scale by the share of the question's weight matched
    stance: bool = True  # passages stating the asked-for party's position gain a share

    @classmethod
    def plain(cls) -> RankingOptions:
        """Every feature off: plain BM25 over the question's tokens."""
        return cls(**{name: False for name in FEATURES})

    def without(self, feature: str) -> RankingOptions:
        """These options with ``feature`` switched off.

        Raises:
            ValueError: ``feature`` is not one of `FEATURES`.
        """
        if feature not in FEATURES:
            raise ValueError(f"unknown ranking feature {feature!r}: one of {', '.join(FEATURES)}")
        return replace(self, **{feature: False})


FEATURES: tuple[str, ...] = tuple(f.name for f in fields(RankingOptions))
PRODUCT = RankingOptions()  # what the product ships: every feature on

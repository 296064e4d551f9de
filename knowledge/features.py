"""Which ranking features a search uses: one switch per feature, for ablation and the floor.

Every switch on is the product; every switch off (`RankingOptions.plain`) is plain BM25 over
the product's tokens, equal to rank-bm25's ``BM25Okapi`` scores (tests/knowledge/test_ablation).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

__all__ = ["FEATURES", "PRODUCT", "RankingOptions"]


@dataclass(frozen=True, slots=True)
class RankingOptions:
    """Ranking feature switches; the defaults are what the product ships.

    Each comment says what the feature adds, measured by switching it off alone (`eval
    --ablate`, `python -m bench.beir --ablate`): hit@3/hit@1 on the tuning half of the
    independent question set ("tune") and on the team's older held-out set ("team"), and
    nDCG@10 on SciFact through `ask`. The numbers are in the issue 9 closing note.
    """

    # tune no-answer +0.04, hit@3 0; team hit@3 +0.04, no-answer +0.2; SciFact 0
    filler: bool = True  # question words ("tell", "happened") are not searched
    # tune +0.02/+0.03; team +0.09/+0.09; SciFact +0.002
    spelling: bool = True  # a word the sources never use is corrected to one they do
    # tune 0/-0.01; team +0.04/+0.17; SciFact +0.005
    variants: bool = True  # a term also matches its derivational variants (russia ~ russian)
    # tune +0.06/+0.01; team -0.04/+0.09; SciFact +0.002
    synonyms: bool = True  # a term also matches its synonyms (synonyms.yaml) at a discount
    # tune +0.02/+0.01; team 0/0; SciFact 0 (no taxonomy names there)
    entities: bool = True  # an alias matches passages tagged with its taxonomy entry
    # tune +0.01/0; team +0.09/+0.09; SciFact +0.026
    inherit: bool = True  # a passage inherits terms its source is about or its neighbours have
    # tune 0/+0.03; team 0/0; SciFact -0.001
    coverage: bool = True  # scores scale by the share of the question's weight matched
    # tune +0.02/+0.01 (uk/ru hit@3 +0.08); team 0/0; SciFact 0
    stance: bool = True  # passages stating the asked-for party's position gain a share
    # (session 3, plain BM25 + this alone) earlier set hit@3 +0.031; SciFact +0.015
    rarity: bool = True  # a word common in everyday language ("people") counts less

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

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
    --ablate`, `python -m bench.beir --ablate`): on the held-out set they were judged on
    (tests/data/questions/fresh4.yaml, never tuned on; fresh3, the one before, in brackets) and
    in nDCG@10 on SciFact through `ask` ("dev": the dev set's no-answer accuracy). The tables
    (also for the tuning pool) are in the issue 9 closing notes.
    """

    # fresh4 hit@3 +0.014, hit@1 +0.007, refused -0.007 (+0.007, 0); SciFact -0.0004; dev +0.5
    filler: bool = True  # question words ("tell", "happened") are not searched
    # fresh4 hit@3 +0.014, hit@1 +0.021, refused -0.021 (+0.021, +0.021); SciFact +0.0005
    spelling: bool = True  # a word the sources never use is corrected to one they do
    # fresh4 hit@3 +0.007, hit@1 +0.014 (+0.014, +0.014); SciFact +0.002
    variants: bool = True  # a term also matches its derivational variants (russia ~ russian)
    # fresh4 hit@3 -0.014, hit@1 -0.014, refused -0.027 (+0.021, +0.021); SciFact -0.001
    synonyms: bool = True  # a term also matches its synonyms (synonyms.yaml) at a discount
    # fresh9 hit@3 +0.124, hit@1 +0.138, refused -0.048, out of scope refused -0.057; fresh8
    # +0.138, +0.124; tuning pool cross-fitted +0.052, +0.053; SciFact +0.003. Learned from
    # the tuning sets by bench/associations.py (session 13)
    associations: bool = True  # and the words it was answered with (associations.yaml), too
    # fresh10 hit@3 +0.054, hit@1 +0.121, refused -0.013, out of scope refused +0.056; fresh9
    # +0.138, +0.152; fresh8 +0.097, +0.097; pool cross-fitted +0.084, +0.139; SciFact 0 (the
    # file names the shipped passages). Learned from the tuning sets by bench/expansions.py
    expansions: bool = True  # passages are also indexed by their answered questions' words
    # fresh4 hit@3 +0.021, hit@1 +0.021, refused -0.007 (+0.028, +0.021); SciFact 0 (no names)
    entities: bool = True  # an alias matches passages tagged with its taxonomy entry
    # fresh4 hit@3 -0.007, hit@1 -0.014 (0, -0.007): long sources pass on little; SciFact +0.019
    inherit: bool = True  # a passage inherits a share of the terms its neighbours have
    # fresh4 hit@3 -0.028, hit@1 -0.014 (+0.007, -0.021); pool 0; SciFact +0.005
    coverage: bool = True  # scores scale by the share of the question's weight matched
    # fresh4 hit@3 +0.007, hit@1 +0.007 (0, +0.007); SciFact 0
    stance: bool = True  # passages stating the asked-for party's position gain a share
    # fresh4 hit@3 +0.035, hit@1 +0.014 (+0.041, +0.034); SciFact +0.005
    rarity: bool = True  # a word common in everyday language ("people") counts less
    # fresh4 hit@3 0, hit@1 -0.007 (0, +0.007): four articles, generic titles; SciFact +0.020
    titles: bool = True  # passages gain a share of their source title's score

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

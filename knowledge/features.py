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
    --ablate`, `python -m bench.beir --ablate`) in session 21: hit@1 / hit@3 averaged over the
    ten held-out sets (tests/data/questions/fresh8-17.yaml, never tuned on), then out of scope
    refused (oos) and answerable refused (ans) where they move, then nDCG@10 on SciFact
    through `ask`. The per-set tables are in the issue 9 closing notes.
    """

    # +0.010 / +0.007, oos +0.014, ans -0.001; SciFact -0.0002
    filler: bool = True  # question words ("tell", "happened") are not searched
    # +0.015 / +0.011, ans -0.010; SciFact +0.0005
    spelling: bool = True  # a word the sources never use is corrected to one they do
    # +0.001 / +0.001; SciFact +0.002; "inspections" finds "inspectors" (tests/bot/test_feeds.py)
    variants: bool = True  # a term also matches its derivational variants (russia ~ russian)
    # +0.005 / +0.010, ans -0.006; SciFact -0.0005
    synonyms: bool = True  # a term also matches its synonyms (synonyms.yaml) at a discount
    # +0.019 / +0.022, ans -0.017; SciFact +0.005. Learned by bench/associations.py
    associations: bool = True  # and the words it was answered with (associations.yaml), too
    # +0.086 / +0.087; SciFact 0 (the file names the shipped passages). bench/expansions.py
    expansions: bool = True  # passages are also indexed by their answered questions' words
    # -0.001 / -0.001, oos +0.006; SciFact 0
    entities: bool = True  # an alias matches passages tagged with its taxonomy entry
    # +0.004 / +0.004; SciFact +0.020
    inherit: bool = True  # a passage inherits a share of the terms its neighbours have
    # +0.008 / +0.001; SciFact +0.008
    coverage: bool = True  # scores scale by the share of the question's weight matched
    # +0.001 / +0.002; SciFact 0
    stance: bool = True  # passages stating the asked-for party's position gain a share
    # +0.002 / +0.005; SciFact +0.009
    rarity: bool = True  # a word common in everyday language ("people") counts less
    # -0.001 / -0.001 (four articles, generic titles); SciFact +0.021
    titles: bool = True  # passages gain a share of their source title's score
    # +0.034 / +0.024, oos +0.118; SciFact 0 (no passage of it has a tuning question). Tuning
    # questions worded alike: answered ones move their passages up, out-of-scope ones refuse
    precedents: bool = True  # expansions.yaml's and out_of_scope.yaml's (knowledge.precedents)
    # +0.010 / +0.013, the excerpt shown, not the order; SciFact 0
    focus: bool = True  # a hit shows the sentence that answered its nearest tuning questions

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

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
    --ablate`, `python -m bench.beir --ablate`), in session 15: hit@3 / hit@1 on the newest
    held-out set (tests/data/questions/fresh11.yaml, never tuned on), on the tuning pool
    cross-fitted (hit@1 / hit@3), and nDCG@10 on SciFact through `ask`. The tables, with
    fresh8-10, are in the issue 9 closing notes.
    """

    # fresh11 0 / +0.006, refused -0.007; pool +0.005 / -0.002; SciFact -0.0002; dev no-answer
    filler: bool = True  # question words ("tell", "happened") are not searched
    # fresh11 +0.013 / +0.006, refused -0.007; pool +0.014 / +0.016, refused -0.014; SciFact 0
    spelling: bool = True  # a word the sources never use is corrected to one they do
    # fresh11 0 / 0 (fresh8-10 -0.014 to -0.020 hit@1); pool -0.007 / -0.004; SciFact +0.002;
    # kept for new articles: "inspections" finds "inspectors" (tests/bot/test_feeds.py)
    variants: bool = True  # a term also matches its derivational variants (russia ~ russian)
    # fresh11 +0.027 / +0.040; pool +0.013 / +0.007; SciFact -0.0006
    synonyms: bool = True  # a term also matches its synonyms (synonyms.yaml) at a discount
    # fresh11 +0.006 / -0.007 (fresh8 +0.020 / +0.021, fresh9 +0.007 / +0.028); pool +0.018 /
    # +0.008; SciFact +0.005. Learned from the tuning sets by bench/associations.py
    associations: bool = True  # and the words it was answered with (associations.yaml), too
    # fresh11 +0.081 / +0.162; pool +0.153 / +0.107; SciFact 0 (the file names the shipped
    # passages). Learned from the tuning sets by bench/expansions.py
    expansions: bool = True  # passages are also indexed by their answered questions' words
    # fresh11 0 / 0, out of scope refused -0.028; fresh10 +0.020 / +0.014; pool +0.007; SciFact 0
    entities: bool = True  # an alias matches passages tagged with its taxonomy entry
    # fresh11 0 / +0.006; pool +0.006 / +0.002; SciFact +0.021. Since session 20 also a name
    # only tuning questions used: fresh15 +0.007 / +0.007, fresh16 0 / 0
    inherit: bool = True  # a passage inherits a share of the terms its neighbours have
    # fresh11 -0.027 / +0.013; pool +0.008 / -0.004; SciFact +0.006
    coverage: bool = True  # scores scale by the share of the question's weight matched
    # fresh11 0 / 0 (fresh8 +0.006 hit@3); pool +0.008 / 0; SciFact 0
    stance: bool = True  # passages stating the asked-for party's position gain a share
    # fresh11 +0.027 / +0.013; pool +0.008 / +0.001; SciFact +0.006
    rarity: bool = True  # a word common in everyday language ("people") counts less
    # fresh11 0 / 0 (four articles, generic titles); pool +0.006 / 0; SciFact +0.019
    titles: bool = True  # passages gain a share of their source title's score
    # session 16, fresh12: hit@1 +0.013, hit@3 +0.027, out of scope refused +0.083 (fresh11
    # +0.027, +0.007, +0.055); pool hit@1 +0.004, hit@3 +0.004, out of scope +0.114; SciFact 0
    # (no passage of it has a tuning question). expansions.yaml's and out_of_scope.yaml's
    precedents: bool = True  # answered tuning questions worded alike move their passages up;
    # out-of-scope ones worded alike refuse (knowledge.precedents). Session 17, learned from
    # tune8-14, fresh13: hit@1 +0.014, hit@3 +0.033, out of scope refused +0.139
    # session 18: pool hit@1 +0.012 / hit@3 +0.006, paraphrase pool +0.014 / +0.012; SciFact 0.
    # Only the excerpt changes, not the order (expansions.yaml's sentences; precedents' own)
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

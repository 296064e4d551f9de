import numpy as np

from knowledge.index import BM25Index
from knowledge.language.tokenize import tokenize
from knowledge.ranking import PassageLayout, SourceTerms, group_scores, rank

# Two sources: A is about Istanbul, B never names it.
PASSAGES = [
    ("A", "Held in Istanbul, the second round of talks ended without a deal."),
    ("A", "Russia demanded the departure of troops from the occupied areas."),
    ("A", "Observers in Istanbul noted the mood of the delegations."),
    ("B", "Ukraine has long demanded the withdrawal of Russian forces."),
    ("B", "Russia demanded neutrality."),
    ("B", "Economists watched the markets closely every day."),
    ("B", "Farmers planted wheat early this spring."),
    ("B", "The museum reopened after a long repair."),
    ("B", "Rail traffic resumed on the western line."),
    ("B", "Schools prepared for the winter term."),
]
FILLER = [False] * 4


def build():
    docs = [tokenize(text) for _, text in PASSAGES]
    index = BM25Index.build(docs)
    by_source: dict[str, list[str]] = {"A": [], "B": []}
    for (src, _), doc in zip(PASSAGES, docs, strict=True):
        by_source[src] += doc
    sources = SourceTerms.of_sources(list(by_source.values()))
    layout = PassageLayout.of([0 if s == "A" else 1 for s, _ in PASSAGES])
    return index, sources, layout


def test_single_form_groups_score_exactly_like_bm25():
    index, _, _ = build()
    for term in ("russia", "demand", "istanbul"):
        expected = index.scores([term])
        got = group_scores(index, [term], index.idf(term))
        assert np.allclose(got, expected, rtol=1e-12)


def test_a_group_scores_its_best_form_at_the_asked_terms_weight():
    index, _, _ = build()
    both = group_scores(index, ["demand", "withdraw"], index.idf("demand"))
    alone = [group_scores(index, [f], index.idf("demand")) for f in ("demand", "withdraw")]
    assert np.allclose(both, np.maximum(*alone))


def test_synonym_forms_are_discounted():
    index, _, _ = build()
    full = group_scores(index, ["withdraw"], 1.0)
    discounted = group_scores(index, ["withdraw"], 1.0, discounted={"withdraw"})
    assert (discounted <= full).all() and discounted.max() < full.max()


def test_a_passage_inherits_the_event_its_neighbour_and_source_are_about():
    index, sources, layout = build()
    groups = [["russia"], ["demand"], ["istanbul"]]
    weights = [index.idf("russia"), index.idf("demand"), index.idf("istanbul")]
    alone = PassageLayout.of(range(len(PASSAGES)))
    plain = rank(index, SourceTerms.of_sources([[]] * len(PASSAGES)), alone, groups, weights, 3)
    assert plain[0].row == 4  # the short "Russia demanded neutrality." wins on its own words
    context = rank(index, sources, layout, groups, weights, 3)
    assert context[0].row == 1  # the demand paragraph of the Istanbul article


def test_entity_rows_and_favoured_rows_lift_their_passages():
    index, sources, layout = build()
    groups, weights = [["kremlin"]], [2.0]
    assert rank(index, sources, layout, groups, weights, 3) == []
    tagged = np.array([False, True, False, False, True, False, *FILLER])
    hits = rank(index, sources, layout, groups, weights, 3, entity_rows=[tagged])
    assert {h.row for h in hits} == {1, 4}
    favoured = np.array([False, False, False, True, False, False, *FILLER])
    hits = rank(index, sources, layout, [["demand"]], [1.0], 1, favoured=favoured)
    assert hits[0].row == 3


def test_allowed_filters_rows():
    index, sources, layout = build()
    allowed = np.array([False, False, False, True, True, True, *FILLER])
    hits = rank(index, sources, layout, [["demand"]], [1.0], 5, allowed=allowed)
    assert {h.row for h in hits} <= {3, 4, 5}


def test_source_terms_from_stored_term_ids_equal_those_from_tokens():
    index, sources, _ = build()
    docs = [tokenize(text) for _, text in PASSAGES]
    column = {t: i for i, t in enumerate(index.vocabulary)}
    terms = np.array([column[t] for d in docs for t in d], dtype=np.int32)
    offsets = np.cumsum([0, *(len(d) for d in docs)])
    stored = SourceTerms.of_term_ids(
        list(index.vocabulary), terms, offsets, np.array([s == "B" for s, _ in PASSAGES]), 2
    )
    groups = [["istanbul"], ["demand", "withdraw"], ["nowhere"]]
    assert np.array_equal(stored.topicality(groups), sources.topicality(groups))
    assert stored.topicality(groups)[0, 0] > 0  # source A is about Istanbul

import numpy as np

from knowledge.index import BM25Index
from knowledge.language.tokenize import tokenize
from knowledge.ranking import PassageLayout, group_scores, rank
from knowledge.scoring import FULL_INHERITANCE, NEIGHBOUR_WEIGHT, neighbour_shares

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
    layout = PassageLayout.of([0 if s == "A" else 1 for s, _ in PASSAGES])
    return index, layout


def test_single_form_groups_score_exactly_like_bm25():
    index, _ = build()
    for term in ("russia", "demand", "istanbul"):
        expected = index.scores([term])
        got = group_scores(index, [term], index.idf(term))
        assert np.allclose(got, expected, rtol=1e-12)


def test_a_group_scores_its_best_form_at_the_asked_terms_weight():
    index, _ = build()
    both = group_scores(index, ["demand", "withdraw"], index.idf("demand"))
    alone = [group_scores(index, [f], index.idf("demand")) for f in ("demand", "withdraw")]
    assert np.allclose(both, np.maximum(*alone))


def test_synonym_forms_are_discounted():
    index, _ = build()
    full = group_scores(index, ["withdraw"], 1.0)
    discounted = group_scores(index, ["withdraw"], 1.0, discounted={"withdraw"})
    assert (discounted <= full).all() and discounted.max() < full.max()


def test_a_passage_inherits_the_event_its_neighbours_are_about():
    index, layout = build()
    groups = [["russia"], ["demand"], ["istanbul"]]
    weights = [index.idf("russia"), index.idf("demand"), index.idf("istanbul")]
    alone = PassageLayout.of(range(len(PASSAGES)))
    plain = rank(index, alone, groups, weights, 3)
    assert plain[0].row == 4  # the short "Russia demanded neutrality." wins on its own words
    context = rank(index, layout, groups, weights, 3)
    assert context[0].row == 1  # the demand paragraph of the Istanbul article


def test_entity_rows_and_favoured_rows_lift_their_passages():
    index, layout = build()
    groups, weights = [["kremlin"]], [2.0]
    assert rank(index, layout, groups, weights, 3) == []
    tagged = np.array([False, True, False, False, True, False, *FILLER])
    hits = rank(index, layout, groups, weights, 3, entity_rows=[tagged])
    assert {h.row for h in hits} == {1, 4}
    favoured = np.array([False, False, False, True, False, False, *FILLER])
    hits = rank(index, layout, [["demand"]], [1.0], 1, favoured=favoured)
    assert hits[0].row == 3


def test_allowed_filters_rows():
    index, layout = build()
    allowed = np.array([False, False, False, True, True, True, *FILLER])
    hits = rank(index, layout, [["demand"]], [1.0], 5, allowed=allowed)
    assert {h.row for h in hits} <= {3, 4, 5}


def test_a_long_source_passes_on_less_of_its_neighbours_words():
    lengths = np.array([1, FULL_INHERITANCE, 2 * FULL_INHERITANCE])
    assert neighbour_shares(lengths).tolist() == [NEIGHBOUR_WEIGHT] * 2 + [NEIGHBOUR_WEIGHT / 2]
    extra = 2 * FULL_INHERITANCE  # passages after A's three: in A, or in a source of their own
    texts = [t for _, t in PASSAGES[:3]] + ["Ferries ran on time."] * extra
    index = BM25Index.build([tokenize(t) for t in texts + [t for _, t in PASSAGES[3:]]])
    groups = [["russia"], ["demand"], ["istanbul"]]
    weights = [index.idf("russia"), index.idf("demand"), index.idf("istanbul")]
    scores = []
    for ferries in (2, 0):  # A of 3 passages, then of 3 + extra (same texts, same neighbours)
        layout = PassageLayout.of([0] * 3 + [ferries] * extra + [1] * 7)
        hits = rank(index, layout, groups, weights, 3)
        scores.append({h.row: h.score for h in hits}.get(1, 0.0))
    assert 0 < scores[1] < scores[0]  # the demand paragraph inherits "istanbul" less

import numpy as np
from rank_bm25 import BM25Okapi

from knowledge.language.tokenize import tokenize
from knowledge.titles import TITLE_SHARE, SourceTitles

TITLES = [
    "Second round of talks in Istanbul",
    "What the Minsk agreements said",
    "Prisoner exchange agreed in Istanbul after the talks",
    "Who mediates between Kyiv and Moscow",
    "",
]


def test_a_title_scores_as_rank_bm25_scores_it_for_a_term_weighed_by_its_idf():
    titles = SourceTitles.of(TITLES)
    idf = titles.index.idf("istanbul")
    scores = titles.scores([["istanbul"]], [idf])
    expected = BM25Okapi([tokenize(t) for t in TITLES]).get_scores(["istanbul"])
    assert np.allclose(scores, TITLE_SHARE * expected)
    assert scores[0] > scores[2] > 0  # the shorter title says it more
    assert scores[1] == scores[3] == scores[4] == 0


def test_a_term_scores_with_the_question_weight_by_its_best_form():
    titles = SourceTitles.of(TITLES)
    scores = titles.scores([["agre", "agreement"], ["minsk"]], [2.0, 3.0])
    assert scores[1] > scores[2] > 0  # Minsk and agreements, against "agreed" alone
    assert scores[0] == 0
    assert len(titles) == len(TITLES)


def test_synonyms_count_less():
    titles = SourceTitles.of(TITLES)
    exact = titles.scores([["exchang"]], [2.0])
    through_synonym = titles.scores([["exchang"]], [2.0], discounted={"exchang"})
    assert 0 < through_synonym[2] < exact[2]


def test_a_word_in_most_titles_counts_for_little():
    titles = SourceTitles.of([f"Ceasefire talks, day {n}" for n in range(1, 9)] + ["Grain deal"])
    common = titles.scores([["ceasefir"]], [4.0])
    rare = titles.scores([["grain"]], [4.0])
    assert 0 < common.max() < rare.max() / 5  # the question's weight is capped by the titles'


def test_titles_rebuilt_from_their_term_ids_score_the_same():
    titles = SourceTitles.of(TITLES)
    again = SourceTitles.from_term_ids(titles.vocabulary, titles.terms)
    question = ([["istanbul"], ["talk"], ["prison"]], [2.0, 1.0, 3.0])
    assert np.array_equal(again.scores(*question), titles.scores(*question))

from knowledge.language.spelling import Speller, edit_distance


def test_edit_distance_counts_transpositions_once():
    assert edit_distance("russia", "russa", 2) == 1
    assert edit_distance("abcd", "acbd", 2) == 1
    assert edit_distance("talks", "walks", 0) == 1


def test_corrects_to_the_closest_known_word():
    speller = Speller(["russia", "security", "donbas", "ukraine"])
    assert speller.correct("russa", len) == "russia"
    assert speller.correct("securty", len) == "security"
    assert speller.correct("donbass", len) == "donbas"


def test_leaves_unknown_and_short_words_alone():
    speller = Speller(["russia", "security"])
    assert speller.correct("iphone", len) is None
    assert speller.correct("wat", len) is None
    assert speller.correct("2015", len) is None


def test_ties_go_to_the_more_popular_word():
    speller = Speller(["talks", "tasks"])
    popularity = {"talks": 9, "tasks": 1}.get
    assert speller.correct("taiks", popularity) == "talks"

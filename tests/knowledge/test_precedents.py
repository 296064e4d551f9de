"""Precedents: a question worded like tuning questions favours the passages that answered them."""

from __future__ import annotations

import numpy as np
import pytest

import knowledge
from knowledge.expansions import Expansions
from knowledge.features import PRODUCT
from knowledge.loading import default_dirs
from knowledge.models import Hit, Passage
from knowledge.precedents import NEIGHBOURS, Precedents
from knowledge.snapshot import load_cached
from tests.knowledge.conftest import write_source
from tests.knowledge.test_expansions import corpus

PASSAGES = [
    Passage("talks#0", "talks", 0, "The second round in Istanbul ended without a deal."),
    Passage("talks#1", "talks", 1, "Turkey hosted both delegations at the palace."),
    Passage("aid#0", "aid", 0, "Grain left the ports of Odesa under escort."),
]
# source id -> folded opening words -> each tuning question's tokens
ASKED = {
    "talks": {
        "the second round in istanbul": [("round", "deal", "end"), ("second", "deal", "result")],
        "turkey hosted both": [("host", "turkey")],
    },
    "aid": {"grain left the ports": [("grain", "port"), ("escort", "ship"), ("odesa", "export")]},
}


ROUND = {"round": 1.0, "deal": 1.0, "end": 1.0}  # a question's terms and their weights


def precedents() -> Precedents:
    found = Precedents.of(PASSAGES, Expansions.of_questions(ASKED))
    assert found is not None
    return found


def test_each_tuning_question_is_indexed_with_the_passage_it_answered():
    found = precedents()
    assert found.rows.tolist() == [0, 0, 1, 2, 2, 2]
    outside = Precedents.of(PASSAGES, Expansions.of_questions(ASKED), [("weather",)])
    assert outside is not None and outside.rows.tolist() == [0, 0, 1, 2, 2, 2, -1]
    assert Precedents.of(PASSAGES, Expansions()) is None


def test_the_nearest_questions_vote_for_their_passages_relative_to_the_nearest():
    votes = precedents().votes(ROUND)
    assert max(votes, key=votes.__getitem__) == 0
    assert votes[0] > 1  # the asked question itself, and the other that says "deal"
    assert set(votes) == {0}  # no question of the others shares a word
    assert precedents().votes({"weather": 1.0}) == {}


def test_a_hit_answering_close_precedents_moves_up_and_nothing_is_added():
    hits = [Hit(1, 9.0), Hit(0, 8.0), Hit(2, 7.0)]
    moved = precedents().reorder(hits, ROUND)
    assert [h.row for h in moved] == [0, 1, 2]
    assert moved[0] == Hit(0, 8.0)  # the score stays the passage's own
    assert precedents().reorder(hits, {"weather": 1.0}) == hits
    # row 7, a passage no tuning question was asked about (a new article), keeps its place:
    # row 0 (one vote, from the question saying "end") would pass it, not row 1
    fresh = [Hit(1, 9.0), Hit(7, 8.5), Hit(0, 8.0)]
    assert [h.row for h in precedents().reorder(fresh, {"end": 1.0})] == [1, 7, 0]
    assert precedents().reorder([Hit(2, 7.0)], ROUND) == [Hit(2, 7.0)]
    near = precedents().nearness(ROUND)  # computed once per question, the same order
    assert precedents().reorder(hits, ROUND, near=near) == moved


def test_questions_whose_words_the_tuning_ones_barely_know_get_no_votes():
    # "helsinki" weighs most and no tuning question used it: "deal" alone does not vote
    assert precedents().votes({"helsinki": 3.0, "deal": 2.0}) == {}
    assert set(precedents().votes({"helsinki": 1.0, "deal": 2.0, "end": 1.0})) == {0}


def focus(found: Precedents, weights: dict[str, float], rows: set[int]) -> dict[int, int]:
    return found.focus(found.nearness(weights), rows)


def test_a_hit_is_focused_on_the_sentence_that_answered_its_nearest_questions():
    two = Passage(
        "talks#0", "talks", 0, "Delegates met in Istanbul. The round ended without a deal."
    )
    asked = {"talks": {"delegates met in istanbul": [("round", "deal"), ("deal", "end"), ("met",)]}}
    answered_in = {"talks": {"delegates met in istanbul": ["the round ended", "the round", "x"]}}
    found = Precedents.of([two], Expansions.of_questions(asked, answered_in))
    assert found is not None
    assert found.sentences.tolist() == [1, 1, -1]  # "x" starts no sentence
    assert focus(found, {"deal": 1.0}, {0}) == {0: 1}
    assert focus(found, {"met": 1.0}, {0}) == {}  # its one question's sentence is unknown
    assert focus(found, {"deal": 1.0}, {5}) == {}  # a row none of the questions answered
    unknown = Precedents.of([two], Expansions.of_questions(asked))
    assert unknown is not None and focus(unknown, {"deal": 1.0}, {0}) == {}


def test_the_sentence_is_chosen_by_the_nearest_questions_scores():
    text = "Grain left the ports. Ships sailed under escort. Odesa exported wheat."
    aid = Passage("aid#0", "aid", 0, text)
    far = [("grain", f"filler{i}") for i in range(NEIGHBOURS + 2)]  # each shares "grain" only
    asked = {"aid": {"grain left the ports": [*far, ("grain", "escort", "ship")]}}
    sentences = {"aid": {"grain left the ports": ["grain left"] * len(far) + ["ships sailed"]}}
    found = Precedents.of([aid], Expansions.of_questions(asked, sentences))
    assert found is not None
    # the nearest question (three words shared) outweighs the other four voters (one each)
    assert focus(found, {"grain": 1.0, "escort": 1.0, "ship": 1.0}, {0}) == {0: 1}
    assert focus(found, {"grain": 1.0}, {0}) == {0: 0}  # the shorter "far" ones are nearest


FOCUSED = (
    '"talks":\n  "The delegations met in Istanbul":\n    "Deep mistrust remains the":\n'
    "      - [biggest, hurdle]\n      - [biggest, obstacle, hurdle]\n"
)
TALKS = (
    "The delegations met in Istanbul for a second round of talks that lasted several hours and "
    "covered a long agenda of military, humanitarian and economic questions for both sides. "
    "Observers from several countries followed the meetings from the hotel lobby, and reporters "
    "waited outside for statements that came only late in the evening of the second day. "
    "Both teams had prepared long documents for the session, with maps, proposals and annexes "
    "that few outsiders ever saw in full before the round was over. "
    "Deep mistrust remains the main obstacle to any agreement."
)


def test_the_excerpt_shows_the_sentence_that_answered_questions_worded_alike(tmp_path):
    write_source(tmp_path, "talks.md", "Talks", TALKS)
    write_source(tmp_path, "aid.md", "Aid", "Grain left the ports of Odesa under escort.")
    (tmp_path / "expansions.yaml").write_text(FOCUSED, encoding="utf-8")
    kb = knowledge.load([tmp_path])
    question = "the biggest hurdle for the delegations in Istanbul"
    (shown, *_) = kb.ask(question).excerpts
    assert "Deep mistrust remains the main obstacle" in shown.text
    (plain, *_) = kb.with_options(PRODUCT.without("precedents")).ask(question).excerpts
    assert plain.passage == shown.passage  # the same passage, its own words' sentence shown
    assert "Deep mistrust" not in plain.text and "delegations met in Istanbul" in plain.text
    (unfocused, *_) = kb.with_options(PRODUCT.without("focus")).ask(question).excerpts
    assert (unfocused.passage, unfocused.text) == (shown.passage, plain.text)
    restored = load_cached([tmp_path], tmp_path / "cache")
    assert load_cached([tmp_path], tmp_path / "cache").ask(question).excerpts[0] == shown
    assert restored.ask(question).excerpts[0] == shown


OUTSIDE = [("weather", "odesa"), ("weather", "port")]  # out-of-scope questions' tokens


def test_a_question_worded_like_out_of_scope_ones_on_known_passages_is_unanswered():
    found = Precedents.of(PASSAGES, Expansions.of_questions(ASKED), OUTSIDE)
    assert found is not None
    weather = {"weather": 1.0}
    assert found.unanswered(weather, [2]) == 1.0  # both nearest are out of scope
    assert 0 < found.unanswered({"weather": 1.0, "grain": 1.0, "port": 1.0}, [2]) < 1
    assert found.unanswered(ROUND, [0, 1]) == 0.0
    assert found.unanswered(weather, [2, 7]) == 0.0  # row 7: a passage none was asked about
    assert found.unanswered({"weather": 1.0, "tides": 9.0}, [2]) == 0.0  # "tides": unknown
    # the out-of-scope questions do not change how the answered ones vote
    assert found.votes(ROUND) == precedents().votes(ROUND)


def test_only_the_nearest_questions_vote():
    others = [(f"word{i}",) for i in range(3 * NEIGHBOURS)]  # for a positive idf of "grain"
    many = {
        "aid": {"grain left the ports": [("grain", "port")] * (NEIGHBOURS + 3)},
        "talks": {"turkey hosted both": others},
    }
    found = Precedents.of(PASSAGES, Expansions.of_questions(many))
    assert found is not None
    assert found.votes({"grain": 1.0, "port": 1.0}) == pytest.approx({2: float(NEIGHBOURS)})


def test_a_question_worded_like_a_tuning_one_shows_the_passage_that_answered_it(shipped):
    question = "What else blocks a deal apart from territory?"
    answer = shipped.ask(question).excerpts
    assert "Other sticking points revolve around security guarantees" in answer[0].text
    without = shipped.with_options(PRODUCT.without("precedents")).ask(question).excerpts
    assert "Other sticking points" not in without[0].text
    assert answer[0].passage.id in {e.passage.id for e in without}  # moved up, not added


def test_a_new_article_keeps_its_place_and_a_latest_question_its_newest_first(tmp_path):
    # the tuning questions know the shipped passages only: they reorder those among themselves
    body = "The second round of talks in Turkey ended with a deal on grain convoys."
    write_source(tmp_path, "news.md", "Istanbul talks end", body, published="2026-11-20")
    kb = knowledge.load([*default_dirs(), tmp_path])
    question = "Did the second round of talks in Turkey end in a deal?"
    assert kb.ask(f"Latest: {question}").excerpts[0].source.title == "Istanbul talks end"
    without = kb.with_options(PRODUCT.without("precedents"))
    titles = [e.source.title for e in kb.ask(question, top=6).excerpts]
    assert titles.index("Istanbul talks end") == [
        e.source.title for e in without.ask(question, top=6).excerpts
    ].index("Istanbul talks end")


LEARNED = (
    '"trust":\n  "Deep mistrust between the delegations blocks":\n'
    "    - [biggest, hurdle]\n    - [biggest, obstacle, process]\n"
)


def test_a_saved_snapshot_keeps_the_precedents_and_an_older_file_has_none(tmp_path):
    folder, cache = corpus(tmp_path / "kb", LEARNED), tmp_path / "cache"
    outside = "words: [weather]\nquestions:\n  - [weather, delegations]\n"
    (folder / "out_of_scope.yaml").write_text(outside, encoding="utf-8")
    built = load_cached([folder], cache)
    restored = load_cached([folder], cache)
    assert built.precedents is not None and restored.precedents is not None
    assert np.array_equal(restored.precedents.rows, built.precedents.rows)
    assert np.array_equal(restored.precedents.sentences, built.precedents.sentences)
    asked = {"biggest": 1.0, "obstacl": 1.0}
    assert restored.precedents.votes(asked) == built.precedents.votes(asked)
    weather, trust = {"weather": 1.0, "deleg": 1.0}, [int(built.precedents.rows[0])]
    assert built.precedents.unanswered(weather, trust) == 1.0
    assert restored.precedents.unanswered(weather, trust) == 1.0
    older = '"trust":\n  "Deep mistrust between the delegations blocks": {biggest: 2}\n'
    assert knowledge.load([corpus(tmp_path / "old", older)]).precedents is None
    assert load_cached([corpus(tmp_path / "old", older)], tmp_path / "c2").precedents is None
    assert knowledge.load([corpus(tmp_path / "none", None)]).precedents is None

"""Learning expansions: a passage gains the words of the questions it answered."""

from __future__ import annotations

from pathlib import Path

import knowledge
from bench.expansions import learn_sentences, learn_words, main, opening, sentence_openings
from knowledge.answer import Knowledge
from knowledge.expansions import load_expansions
from knowledge.models import Passage
from tests.helpers.learning import built, item

TEXTS = {
    "trust": "Deep mistrust between the delegations blocks every step. Deep mistrust remains.",
    "grain": "The grain corridor reopened the ports of Odesa for shipping.",
    "prisoners": "Both sides exchanged prisoners of war after the Istanbul round.",
}


def kb(folder: Path) -> Knowledge:
    return built(folder, TEXTS)


def test_each_question_adds_its_words_to_the_passages_holding_its_evidence(tmp_path):
    searched = kb(tmp_path)
    questions = [
        item(1, "what is the biggest hurdle", "Deep mistrust between"),
        item(2, "the biggest problem of the delegations", "deep MISTRUST  between"),
        item(3, "biggest hurdle in the weather", "", "no_answer"),  # not counted
        item(4, "biggest hurdle for the moon", "no passage says this"),  # not counted
    ]
    words = learn_words(searched, questions)
    (row,) = words
    assert searched.passages[row].source_id == "trust"
    assert words[row] == [("biggest", "hurdl"), ("biggest", "deleg", "problem")]


def test_each_question_is_answered_by_the_sentence_holding_its_evidence(tmp_path):
    searched = kb(tmp_path)
    questions = [
        item(1, "is the distrust still there", "deep mistrust remains"),
        item(2, "what blocks every step", "blocks every step"),
        item(3, "the mistrust", "mistrust between the delegations blocks every step. deep"),
    ]
    (row,) = learn_sentences(searched, questions)
    assert learn_sentences(searched, questions)[row] == [1, 0, -1]  # 3 spans two sentences
    assert sentence_openings(searched.passages[row]) == [
        "Deep mistrust between the",
        "Deep mistrust remains.",
    ]


def test_a_passage_is_named_by_the_fewest_opening_words_no_sibling_holds(tmp_path):
    passages = kb(tmp_path).passages
    assert opening(passages[0], passages) == "The grain corridor reopened the ports"
    trust = next(p for p in passages if p.source_id == "trust")
    sibling = Passage(
        "trust#9", "trust", 9, "Deep mistrust between the delegations blocks every road"
    )
    assert opening(trust, [trust, sibling]) == (
        "Deep mistrust between the delegations blocks every step."
    )


def test_the_command_writes_a_file_that_makes_such_a_question_find_the_passage(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    kb(folder)
    sets = tmp_path / "tune.yaml"
    sets.write_text(
        "- id: a\n  question: What is the biggest hurdle of the process?\n  expect: answer\n"
        "  evidence: [deep mistrust between]\n"
        "- id: b\n  question: The biggest hurdle between the sides?\n  expect: answer\n"
        "  evidence: [deep mistrust between]\n",
        encoding="utf-8",
    )
    before = knowledge.load([folder]).ask("the biggest hurdle at every step of the process")
    out = folder / "expansions.yaml"
    assert main([str(sets), "--dirs", str(folder), "--out", str(out)]) == 0
    assert (  # under the sentence holding the evidence, named by its opening words
        '"Deep mistrust between the delegations blocks":\n    "Deep mistrust between the":\n'
        "      - [biggest, hurdle, process]\n      - [biggest, hurdle, sides]\n"
    ) in out.read_text(encoding="utf-8")
    assert sorted(load_expansions(out).by_source) == ["trust"]
    after = knowledge.load([folder]).ask("the biggest hurdle at every step of the process")
    assert [e.source.title for e in after.excerpts][:1] == ["Trust"]
    assert before.excerpts == () or before.excerpts[0].score < after.excerpts[0].score

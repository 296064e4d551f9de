"""The tuning questions as asked: read, encoded with the passages, and voting in `ask`."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

import knowledge
from knowledge.errors import KnowledgeError
from knowledge.semantic import attach_semantic
from knowledge.semantic.precedents import check_precedents, find_precedents, load_precedents
from tests.knowledge.conftest import write_source
from tests.knowledge.semantic.conftest import Counting, log_lines

# Both passages have lexical precedents (only those move); none shares the question's words.
EXPANSIONS = """\
"talks":
  "The ceasefire talks resumed":
    - [geneva, monday]
"broker":
  "Turkey brokered a truce":
    - [hosted, delegates]
"""
PRECEDENTS = """\
"broker":
  "Turkey brokered a truce":
    - "who is the mediator of the ceasefire talks"
    - "who mediates the ceasefire"
    - "which mediator brokered the truce"
"""
QUESTION = "who mediates the ceasefire talks in geneva"  # without the questions: "talks" first


def corpus(tmp_path: Path, precedents: str | None = PRECEDENTS) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir(exist_ok=True)
    write_source(folder, "talks.md", "Talks", "The ceasefire talks resumed on Monday in Geneva.")
    write_source(folder, "broker.md", "Broker", "Turkey brokered a truce and hosted the delegates.")
    write_source(folder, "swap.md", "Swap", "Both sides agreed on a prisoner exchange in May.")
    (folder / "expansions.yaml").write_text(EXPANSIONS, encoding="utf-8")
    (folder / "out_of_scope.yaml").write_text("words: []\nquestions: []\n", encoding="utf-8")
    if precedents is not None:
        (folder / "precedents.yaml").write_text(precedents, encoding="utf-8")
    return folder


def attached(tmp_path: Path, folder: Path, model_dir: Path, embedder=None) -> knowledge.Knowledge:
    kb = knowledge.load([folder])
    loader = (lambda model, cache: embedder) if embedder is not None else None
    return attach_semantic(
        kb, str(model_dir), tmp_path / "cache", loader=loader, precedents=find_precedents([folder])
    )


def first(kb: knowledge.Knowledge, question: str = QUESTION) -> str:
    return kb.ask(question).excerpts[0].source.id


def test_a_question_near_a_tuning_question_moves_its_passage_up(tmp_path, model_dir):
    folder = corpus(tmp_path)
    without = tmp_path / "none.yaml"  # a file that is not there: no tuning questions
    kb = knowledge.load([folder])
    alone = attach_semantic(kb, str(model_dir), tmp_path / "c1", precedents=without)
    assert len(alone.semantic.precedents) == 0 and first(alone) == "talks"
    voted = attached(tmp_path, folder, model_dir)
    assert len(voted.semantic.precedents) == 3
    assert first(voted) == "broker"
    assert first(voted, "prisoner exchange") == "swap"  # not a passage tuning questions name


def test_the_questions_are_encoded_once_and_reloaded_with_the_passage_vectors(
    tmp_path, model_dir, embedder, caplog
):
    folder = corpus(tmp_path)
    encoding = Counting(embedder)
    with caplog.at_level(logging.INFO):
        attached(tmp_path, folder, model_dir, encoding)
    assert "who is the mediator of the ceasefire talks" in encoding.texts
    assert log_lines(caplog)[-1].endswith("3 passages, 3 tuning questions, for en")
    again = Counting(embedder)
    kb = attached(tmp_path, folder, model_dir, again)
    assert again.texts == [] and first(kb) == "broker"  # nothing encoded at start
    (folder / "precedents.yaml").write_text(PRECEDENTS.replace("who is", "who was"), "utf-8")
    changed = Counting(embedder)
    attached(tmp_path, folder, model_dir, changed)
    assert changed.texts == [
        "who was the mediator of the ceasefire talks",
        "who mediates the ceasefire",
        "which mediator brokered the truce",
    ]  # the questions only: the passages are as they were
    write_source(folder, "rain.md", "Rain", "Heavy rain is expected in the hills.")
    added = Counting(embedder)
    attached(tmp_path, folder, model_dir, added)
    assert "Heavy rain is expected in the hills." in added.texts
    assert not any("mediat" in text for text in added.texts)  # a new article: passages only


@pytest.mark.parametrize(
    "bad",
    [
        '"broker": [one, two]\n',
        '"broker":\n  "Turkey brokered a truce":\n    - [not, text]\n',
        '"broker":\n  "Turkey brokered a truce": {"a": 1}\n',
        "- a list\n",
    ],
)
def test_a_bad_file_is_reported_and_the_stage_serves_without_it(
    tmp_path, model_dir, caplog, bad: str
):
    folder = corpus(tmp_path, bad)
    problems = check_precedents(folder / "precedents.yaml")
    assert problems and all("precedents.yaml" in str(p) for p in problems)
    assert any(str(p) in map(str, knowledge.check([folder])[0]) for p in problems)
    with pytest.raises(KnowledgeError):
        load_precedents(folder / "precedents.yaml")
    with caplog.at_level(logging.WARNING):
        kb = attached(tmp_path, folder, model_dir)
    assert kb.semantic is not None and len(kb.semantic.precedents) == 0
    assert any(line.startswith("semantic precedents off: ") for line in log_lines(caplog))
    assert first(kb) == "talks"


def test_questions_go_to_the_passage_their_opening_words_name(tmp_path):
    folder = corpus(tmp_path)
    kb = knowledge.load([folder])
    asked = load_precedents(folder / "precedents.yaml").of(kb.passages)
    assert [text for text, _ in asked] == [
        "who is the mediator of the ceasefire talks",
        "who mediates the ceasefire",
        "which mediator brokered the truce",
    ]
    assert {kb.passages[row].source_id for _, row in asked} == {"broker"}
    write_source(folder, "broker.md", "Broker", "Qatar hosted the delegates.")  # rewritten
    assert load_precedents(folder / "precedents.yaml").of(knowledge.load([folder]).passages) == []


def test_the_stage_votes_like_the_lexical_precedents(tmp_path, model_dir):
    kb = attached(tmp_path, corpus(tmp_path), model_dir)
    stage = kb.semantic
    match = stage.match("mediator of the ceasefire", 3)
    [(row, votes)] = stage.votes(match).items()  # the closest counts 1, the others less
    closest = match.precedents / match.precedents.max()
    assert kb.passages[row].source_id == "broker" and votes == pytest.approx(closest.sum())
    assert 1.0 < votes <= 3.0
    assert np.allclose(
        match.precedents, stage.precedents @ stage.embedder.encode(["mediator of the ceasefire"])[0]
    )


ANSWERED = """\
"talks":
  "The ceasefire talks resumed":
    - "when did the ceasefire talks resume"
"broker":
  "Turkey brokered a truce":
    - "who brokered the truce"
"swap":
  "Both sides agreed on":
    - "was there a prisoner exchange"
"""
OUT_OF_SCOPE = """\
"out of scope":
  - "which hotel in geneva hosts the talks on monday"
  - "the geneva hotel for the talks monday"
  - "hotel of the talks in geneva on monday"
  - "which geneva hotel are the talks in on monday"
  - "geneva talks monday hotel name"
"""
MEANT_ALIKE = "the hotel of the geneva talks on monday"


def test_a_question_meant_like_out_of_scope_tuning_questions_is_refused(tmp_path, model_dir):
    folder = corpus(tmp_path, ANSWERED + OUT_OF_SCOPE)
    asked = load_precedents(folder / "precedents.yaml")
    assert asked.unanswered[0] == "which hotel in geneva hosts the talks on monday"
    kb = attached(tmp_path, folder, model_dir)
    assert len(kb.semantic.precedents) == 8
    refused = kb.ask(MEANT_ALIKE)
    assert not refused.answered and refused.excerpts == ()
    query = kb.query(MEANT_ALIKE)
    match = kb.semantic_match(MEANT_ALIKE, query, 8)
    assert kb.signals(query, kb.rank(query, 8), match).unanswered_meaning > 0.8
    assert kb.ask("who brokered the truce in geneva").answered  # meant like an answered one
    (folder / "precedents.yaml").write_text(ANSWERED, encoding="utf-8")
    assert attached(tmp_path, folder, model_dir).ask(MEANT_ALIKE).answered  # nothing near


def test_out_of_scope_questions_judge_only_the_passages_tuning_questions_answered(
    tmp_path, model_dir
):
    folder = corpus(tmp_path, ANSWERED + OUT_OF_SCOPE)
    write_source(folder, "hotel.md", "Hotel", "The delegates in Geneva stayed at a lakeside hotel.")
    kb = attached(tmp_path, folder, model_dir)  # a new article no tuning question answered
    answer = kb.ask(MEANT_ALIKE)
    assert answer.answered and "hotel" in {e.source.id for e in answer.excerpts}


def test_an_out_of_scope_list_of_bad_questions_is_reported(tmp_path):
    folder = corpus(tmp_path, ANSWERED + '"out of scope":\n  - [not, text]\n')
    problems = check_precedents(folder / "precedents.yaml")
    assert [p.line for p in problems] == [11] and "a question is text" in problems[0].message

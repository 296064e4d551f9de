"""VoteLog: one changeable vote per user per answer, with the question and passages; summary."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot import answers
from bot.answers import Shown
from bot.feedback import VoteLog


def shown(question: str, ids=("minsk#1", "minsk#2")) -> Shown:
    return Shown(answers.new_token(), 1, 2, question, ("k1", "k2"), tuple(ids))


@pytest.fixture
def votes(tmp_path: Path) -> VoteLog:
    return VoteLog(tmp_path / "questions.sqlite3")


def test_one_vote_per_user_per_answer_and_it_can_change(votes: VoteLog) -> None:
    answer = shown("What does Russia demand?")
    assert votes.vote(answer, 7, 1) is None  # a first vote
    assert votes.vote(answer, 7, -1) == 1  # changed: the vote before comes back
    votes.vote(answer, 7, -1, "o")
    votes.vote(answer, 8, 1)
    summary = votes.summary()
    assert (summary.up, summary.down) == (1, 1) and summary.helpful_rate == 0.5
    assert summary.reasons == (("Outdated", 1),)
    assert summary.most_down == (("what does russia demand?", 1, 1),)
    votes.vote(answer, 7, 1)  # changed back: the reason goes with the 👎
    assert votes.summary().reasons == () and votes.summary().up == 2


def test_a_vote_keeps_the_question_and_the_passages_shown(votes: VoteLog) -> None:
    votes.vote(shown("Who  mediates?", ids=("turkey#4",)), 7, -1, "w")
    with closing(sqlite3.connect(votes.path)) as db:
        row = db.execute("SELECT question, passages, reason FROM votes").fetchone()
    assert row[0] == "who mediates?" and json.loads(row[1]) == ["turkey#4"] and row[2] == "w"


def test_most_down_voted_questions_come_first(votes: VoteLog) -> None:
    for user in range(3):
        votes.vote(shown("minsk?"), user, -1)
    votes.vote(shown("istanbul?"), 1, -1)
    votes.vote(shown("istanbul?"), 2, 1)
    votes.vote(shown("who mediates?"), 1, 1)
    assert votes.summary().most_down == (("minsk?", 3, 0), ("istanbul?", 1, 1))
    assert votes.summary(top=1).most_down == (("minsk?", 3, 0),)


def test_no_votes_yet(votes: VoteLog) -> None:
    summary = votes.summary()
    assert (summary.up, summary.down, summary.helpful_rate) == (0, 0, None)
    assert summary.reasons == () and summary.most_down == ()


@pytest.mark.parametrize(("vote", "reason"), [(0, None), (2, None), (1, "o"), (-1, "zz")])
def test_anything_but_a_vote_is_refused(votes: VoteLog, vote: int, reason) -> None:
    with pytest.raises(ValueError, match="not a vote"):
        votes.vote(shown("x"), 1, vote, reason)


def test_votes_are_bounded(tmp_path: Path) -> None:
    votes = VoteLog(tmp_path / "v.sqlite3", keep=2)
    for user in range(5):
        votes.vote(shown("x"), user, 1)
    assert votes.summary().up == 2


async def test_a_failed_write_is_logged_not_raised(votes: VoteLog, caplog) -> None:
    votes.path.unlink()
    votes.path.mkdir()
    assert await votes.avote(shown("x"), 1, 1) == (False, None)
    assert "cannot record a vote" in caplog.text

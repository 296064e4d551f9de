"""Questions about the latest state: detected in three languages, recent sources favoured."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import knowledge
from knowledge.models import Hit
from knowledge.recency import (
    FLOOR,
    as_of_note,
    asks_for_latest,
    favour_recent,
    names_no_topic,
    oldest_first,
    recency_weight,
    without_recency,
)
from knowledge.taxonomy.model import Entry

OLD = """---
title: Spring prisoner exchange
published: 2026-03-01
---
Ukraine and Russia exchanged prisoners of war at the Belarus border in a swap of 200 prisoners.
"""
NEW = """---
title: Autumn prisoner exchange
published: 2026-11-01
---
Ukraine and Russia exchanged prisoners of war again, a swap of 90 prisoners in Sumy.
"""
UNDATED = """---
title: Background on prisoner exchanges
---
Prisoner exchanges between Ukraine and Russia: prisoners of war swap, prisoners of war swap,
exchanged prisoners of war, prisoners exchanged in every swap of prisoners of war.
"""


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest on the talks?",
        "most recent prisoner exchange",
        "newest sources",
        "what happened this week",
        "Які останні новини про переговори?",
        "найновіші домовленості",
        "що було цього тижня",
        "Последние новости о переговорах",
        "что нового на этой неделе",
        "новые требования России",
    ],
)
def test_latest_questions_are_spotted(question: str) -> None:
    assert asks_for_latest(question)


@pytest.mark.parametrize(
    "question", ["What does Russia demand?", "Minsk 2015", "хто посередник?", "Итоги Стамбула"]
)
def test_other_questions_are_not(question: str) -> None:
    assert not asks_for_latest(question)


def test_recency_words_are_not_searched() -> None:
    assert without_recency("What is the latest on the talks?") == "What is the on the talks?"
    assert without_recency("Які останні новини про обмін?") == "Які про обмін?"
    assert without_recency("latest news on Istanbul") == "on Istanbul"


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        ("what's new?", "? ceasefire talks"),
        ("що нового?", "? переговори про перемир'я"),
        ("latest news on Istanbul", "on Istanbul"),
    ],
)
def test_a_question_naming_no_topic_asks_about_the_talks_whoever_decides_it(
    question: str, searched: str
) -> None:
    assert without_recency(question) == searched
    assert without_recency(question, names_no_topic(question)) == searched  # as ask does


def test_the_weight_decays_to_a_floor_and_undated_gets_the_floor() -> None:
    top = dt.date(2026, 11, 1)
    assert recency_weight("2026-11-01", top) == 1.0
    assert recency_weight("2026-10-02", top) == pytest.approx(FLOOR + (1 - FLOOR) / 2)
    assert recency_weight("1990-01-01", top) == pytest.approx(FLOOR)
    assert recency_weight(None, top) == recency_weight("[insert date]", top) == FLOOR


def test_favouring_recent_reorders_but_never_drops() -> None:
    dates = {0: None, 1: "2026-03-01", 2: "2026-11-01"}
    hits = [Hit(0, 10.0), Hit(1, 9.0), Hit(2, 8.0)]
    again = favour_recent(hits, dates.get)
    assert [h.row for h in again] == [2, 0, 1]  # 8 months older: weighed like undated
    assert sorted(h.row for h in again) == [0, 1, 2]
    strong = [Hit(0, 17.0), Hit(2, 8.0)]  # an undated passage twice as relevant stays first
    assert [h.row for h in favour_recent(strong, dates.get)] == [0, 2]
    undated = [Hit(0, 1.0), Hit(0, 2.0)]
    assert favour_recent(undated, {}.get) == undated


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> knowledge.Knowledge:
    folder: Path = tmp_path_factory.mktemp("dated")
    for name, text in (("old", OLD), ("new", NEW), ("undated", UNDATED)):
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return knowledge.load([*knowledge.default_dirs(), folder])


def test_a_latest_question_puts_the_newest_source_first_and_says_as_of(dated) -> None:
    plain = dated.ask("Was there a prisoner swap?", top=10)
    ours = [e.source.id for e in plain.excerpts if e.source.id in {"old", "new", "undated"}]
    assert ours[0] == "undated" and plain.as_of is None  # relevance first, among these three
    latest = dated.ask("What is the latest prisoner exchange?", top=10)
    assert latest.answered and latest.excerpts[0].source.id == "new"
    assert {e.source.id for e in latest.excerpts} >= {"new", "old", "undated"}  # none hidden
    assert latest.as_of == "2026-11-01"
    assert latest.to_json()["as_of"] == "2026-11-01"
    assert "as_of" not in plain.to_json()


def test_latest_in_ukrainian_and_russian(dated) -> None:
    for question in ("останній обмін полоненими", "последний обмен пленными"):
        answer = dated.ask(question)
        assert answer.answered and answer.as_of == "2026-11-01", question
        assert answer.excerpts[0].source.id == "new", question
    assert as_of_note("2026-11-01", "uk") == "Станом на 2026-11-01 (найновіше з показаних джерел)."


def test_latest_on_the_shipped_corpus_is_answered_without_a_date() -> None:
    answer = knowledge.load().ask("What is the latest on the talks?")
    assert answer.answered and answer.as_of is None  # the seeds are undated


TALKS_OLD = """---
title: Envoys meet in Riyadh
published: 2026-10-02
---
Delegations of Ukraine and Russia met American mediators in Riyadh for ceasefire talks on an
energy truce covering power plants and substations.
"""
TALKS_NEW = """---
title: Istanbul round set for next week
published: 2026-11-28
---
Turkey said the delegations would meet in Istanbul next week for a new round of ceasefire talks
on an exchange of all prisoners.
"""


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> knowledge.Knowledge:
    """The shipped seeds (undated, one says "News cycles") and two dated articles."""
    folder: Path = tmp_path_factory.mktemp("news")
    for name, text in (("riyadh", TALKS_OLD), ("istanbul", TALKS_NEW)):
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return knowledge.load([*knowledge.default_dirs(), folder])


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest news?",
        "what's new?",
        "What happened recently?",
        "Які останні новини?",
        "Що нового?",
        "Какие последние новости?",
        "Что нового?",
    ],
)
def test_a_latest_question_with_no_topic_starts_with_the_newest_source(news, question) -> None:
    answer = news.ask(question)
    assert answer.answered and answer.as_of == "2026-11-28", question
    assert answer.excerpts[0].source.id == "istanbul", question
    assert "News cycles" not in " ".join(e.text for e in answer.excerpts)


def test_news_is_no_topic_in_a_latest_question(news) -> None:
    answer = news.ask("Latest news on the energy truce")
    assert answer.excerpts[0].source.id == "riyadh" and answer.as_of == "2026-10-02"
    assert "News cycles" not in " ".join(e.text for e in answer.excerpts)


def _round(name: str, year: int | None) -> Entry:
    return Entry("round", name.lower(), name, (), {}, year=year)


def test_rounds_are_ordered_by_year_and_undated_ones_stay_behind_their_predecessor() -> None:
    rounds = [_round("C", 2022), _round("C2", None), _round("A", 2014), _round("B", 2015)]
    assert [r.name for r in oldest_first(rounds, lambda r: r.year)] == ["A", "B", "C", "C2"]

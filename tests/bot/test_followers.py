"""Followers: the store survives restarts; a push holds only excerpts of the new sources."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

import knowledge
from bot.followers import NEWS_DAYS, FollowerStore, new_excerpts, plan
from tests.helpers.telegram_html import parse_html

NEW = """---
title: Geneva energy truce
publisher: Wire
published: 2026-11-26
---
Swiss mediators tabled an energy truce in Geneva: no strikes on power stations for ninety days.
"""


def test_follows_survive_a_new_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "news.sqlite3"
    first = FollowerStore(path)
    assert first.follow(1, "Istanbul talks") and first.follow(1, "energy truce")
    assert first.follow(2, "Minsk")
    first.follow(1, "Istanbul talks")  # following twice changes nothing
    again = FollowerStore(path)
    assert again.topics(1) == ["Istanbul talks", "energy truce"]
    assert again.everyone() == {1: ["Istanbul talks", "energy truce"], 2: ["Minsk"]}
    assert again.unfollow(1, "ISTANBUL TALKS") == 1 and again.unfollow(2) == 1
    assert again.everyone() == {1: ["energy truce"]}


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> knowledge.Knowledge:
    folder = tmp_path_factory.mktemp("new")
    (folder / "truce.md").write_text(NEW, encoding="utf-8")
    return knowledge.load([*knowledge.default_dirs(), folder])


def test_only_the_new_sources_are_searched(grown: knowledge.Knowledge) -> None:
    found = new_excerpts(grown, "energy truce power stations", ["truce"])
    assert [e.source.id for e in found] == ["truce"]
    assert new_excerpts(grown, "Minsk agreements", ["truce"]) == []  # old sources never pushed
    assert new_excerpts(grown, "energy truce", []) == []


def test_a_plan_gives_one_message_per_matching_chat(grown: knowledge.Knowledge) -> None:
    follows = {(1, 0): ["Minsk", "energy truce"], (2, 0): ["Istanbul"], (-3, 7): ["Geneva"]}
    messages = plan(grown, follows, ["truce"])
    assert sorted(messages) == [(-3, 7), (1, 0)]
    text = parse_html(messages[(1, 0)]).plain
    assert text.startswith("🔔 New sources on “energy truce”:\n\n1. Swiss mediators")
    assert text.endswith("— Geneva energy truce, Wire, 2026-11-26")


def test_a_store_from_before_forum_topics_keeps_its_follows(tmp_path: Path) -> None:
    path = tmp_path / "news.sqlite3"
    with closing(sqlite3.connect(path)) as con, con:
        con.execute(
            "CREATE TABLE followers (chat_id INTEGER NOT NULL, topic TEXT NOT NULL, "
            "since REAL NOT NULL, PRIMARY KEY (chat_id, topic))"
        )
        con.execute("INSERT INTO followers VALUES (-5, 'Minsk', 1.0)")
    store = FollowerStore(path)
    assert store.follow(-7, "Istanbul", thread_id=42)
    assert store.destinations() == {(-5, 0): ["Minsk"], (-7, 42): ["Istanbul"]}
    store.move(-5, -1005)  # the group became a supergroup
    assert store.everyone() == {-7: ["Istanbul"], -1005: ["Minsk"]}


def test_a_push_on_a_ukrainian_topic_speaks_ukrainian(grown: knowledge.Knowledge) -> None:
    messages = plan(grown, {(1, 0): ["енергетичне перемир'я"]}, ["truce"])
    text = parse_html(messages[(1, 0)]).plain
    assert text.startswith("🔔 Нові джерела на тему «енергетичне перемир'я»:\n\n")
    assert "Джерела англійською мовою" in text  # the quotes are English, and it says so


@pytest.mark.parametrize(("days", "pushed"), [(NEWS_DAYS - 1, True), (NEWS_DAYS, False)])
def test_a_source_dated_weeks_before_the_newest_is_searchable_but_not_pushed(
    tmp_path: Path, days: int, pushed: bool
) -> None:
    (tmp_path / "truce.md").write_text(NEW, encoding="utf-8")
    later = (dt.date(2026, 11, 26) + dt.timedelta(days=days)).isoformat()
    later_news = NEW.replace("2026-11-26", later).replace("energy truce", "grain deal")
    (tmp_path / "later.md").write_text(later_news, encoding="utf-8")
    current = knowledge.load([tmp_path])
    assert bool(plan(current, {(1, 0): ["energy truce"]}, ["truce"])) is pushed
    assert new_excerpts(current, "energy truce", ["truce"])  # a question still finds it

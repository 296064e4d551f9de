"""The feed list and fetch settings in the config: defaults, values, and each mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, FeedConfig, load_config
from bot.feedconfig import duration_text, parse_duration
from tests.helpers.cli import run_cli


def load(tmp_path: Path, text: str):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={}, cwd=tmp_path)


def test_defaults_fetch_nothing_private_and_watch_no_feed(tmp_path: Path) -> None:
    knowledge = load(tmp_path, "").knowledge
    assert (knowledge.allow_private_hosts, knowledge.feeds, knowledge.fetch_timeout) == (
        False,
        (),
        10.0,
    )


def test_a_feed_list_is_read(tmp_path: Path) -> None:
    knowledge = load(
        tmp_path,
        "knowledge:\n  allow_private_hosts: true\n  fetch_timeout: 2.5\n  feeds:\n"
        "    - {url: 'https://a.example/rss', every: 2h, keywords: [ceasefire, ' Istanbul ']}\n"
        "    - url: http://b.example/atom\n",
    ).knowledge
    assert knowledge.allow_private_hosts and knowledge.fetch_timeout == 2.5
    assert knowledge.feeds == (
        FeedConfig("https://a.example/rss", 7200, ("ceasefire", "Istanbul")),
        FeedConfig("http://b.example/atom", 1800, None),
    )


@pytest.mark.parametrize(
    ("feeds", "key", "message"),
    [
        ("{url: x}", "knowledge.feeds", "must be a list of {url, every, keywords}"),
        ("[https://a]", "knowledge.feeds[0]", "must be a mapping with url, every and keywords"),
        ("[{url: ftp://a/rss}]", "knowledge.feeds[0].url", "must be an http:// or https:// URL"),
        ("[{url: http://a, every: 5}]", "knowledge.feeds[0].every", "must be a duration like"),
        ("[{url: http://a, every: 10s}]", "knowledge.feeds[0].every", "must be at least 1m"),
        # a longer interval passed `check`, then broke the JobQueue (a date past year 9999)
        ("[{url: http://a, every: 999999999d}]", "knowledge.feeds[0].every", "at most 30d"),
        ("[{url: http://a, every: 31d}]", "knowledge.feeds[0].every", "must be at most 30d"),
        ("[{url: http://a, keywords: []}]", "knowledge.feeds[0].keywords", "non-empty list"),
        ("[{url: http://a, keywords: [1]}]", "knowledge.feeds[0].keywords[0]", "word or phrase"),
        ("[{url: http://a, tags: [x]}]", "knowledge.feeds[0].tags", "unknown key"),
        ("[{url: http://a}, {url: http://a}]", "knowledge.feeds[1].url", "listed twice"),
    ],
)
def test_each_feed_mistake_is_named(tmp_path: Path, feeds: str, key: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"knowledge:\n  feeds: {feeds}\n")
    assert caught.value.key == key and message in caught.value.message


def test_check_reports_a_bad_feed_list_as_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("knowledge:\n  feeds: [{url: http://a, every: soon}]\n", encoding="utf-8")
    result = run_cli("check", "--config", str(path))
    assert result.code == 2
    assert result.err == (
        f"{path}: knowledge.feeds[0].every: must be a duration like 30m, 2h or 1d\n"
    )


def test_durations() -> None:
    assert [parse_duration(t) for t in ("45s", "30m", " 2h", "1d", "3w", "m")] == [
        45,
        1800,
        7200,
        86400,
        None,
        None,
    ]


def test_a_duration_is_shown_as_the_config_writes_it() -> None:
    shown = [duration_text(s) for s in (45, 1800, 5400, 86400, 90061)]
    assert shown == ["45s", "30m", "90m", "1d", "90061s"]
    assert parse_duration(duration_text(86400)) == 86400

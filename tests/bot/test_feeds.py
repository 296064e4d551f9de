"""`python -m bot feeds --once`: new entries become sources once; failing feeds back off."""

from __future__ import annotations

import asyncio
import errno
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.feeds import Batch, open_store, poll
from bot.feedstore import EDIT_REST_S, MAX_ATTEMPTS, FeedStore
from knowledge import Problem
from tests.helpers.cli import run_cli, run_module
from tests.helpers.web_server import Route, WebServer, page

RSS = "application/rss+xml"
TITLES = (
    "Prisoner exchange completed at the Sumy crossing (2026-11-25)",
    "Energy truce proposal tabled in Geneva (2026-11-26)",
    "Observers propose a demilitarised strip along the Dnipro (2026-11-27)",
)


def feed_body(web: WebServer, name: str) -> bytes:
    return page(name).replace(b"BASE", web.url("").encode())


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        for i in (1, 2, 3):
            server.route(f"/entry{i}.html", Route(page(f"entry{i}.html")))
        server.route("/article.html", Route(page("article.html")))
        server.route("/rss.xml", Route(feed_body(server, "rss.xml"), 200, RSS, etag='"r1"'))
        server.route("/atom.xml", Route(feed_body(server, "atom.xml"), 200, "application/atom+xml"))
        server.route("/malformed.xml", Route(page("malformed.xml"), 200, RSS))
        yield server


def write_config(tmp_path: Path, feeds: str) -> Path:
    path = tmp_path / "bot.yaml"
    path.write_text(
        f"knowledge:\n  allow_private_hosts: true\n  fetch_timeout: 2\n  feeds:\n{feeds}"
        "storage:\n  dir: state\n",
        encoding="utf-8",
    )
    return path


def polled_rss(web: WebServer, tmp_path: Path) -> Path:
    """The config of the test RSS feed, polled once (its three articles saved)."""
    config = write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n")
    run_cli("feeds", "--config", str(config), "--once")
    return config


def saved(config: Path) -> list[str]:
    return sorted(p.name for p in (config.parent / "state" / "sources").glob("*.md"))


def test_three_new_entries_once_then_nothing(web: WebServer, tmp_path: Path) -> None:
    config = write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n")
    first = run_cli("feeds", "--config", str(config), "--once")
    assert first.code == 0, first.err
    assert first.out.splitlines() == [
        "Feeds: 1 polled, 3 article(s) added.",
        *(f"+ {t}" for t in TITLES),
        "1 new entry named no keyword: not fetched.",
    ]
    assert len(saved(config)) == 3 and web.hits("/football.html") == 0  # no keyword: not fetched
    second = run_cli("feeds", "--config", str(config), "--once")
    assert second.out == "Feeds: 1 polled, 0 article(s) added.\n" and len(saved(config)) == 3
    assert web.requests[-1][1].get("If-None-Match") == '"r1"'  # the feed answered 304
    web.routes["/rss.xml"].etag = None  # a feed without validators: its entries are remembered
    third = run_cli("feeds", "--config", str(config), "--once")
    assert "0 article(s) added" in third.out and web.hits("/entry1.html") == 1
    answer = run_cli(
        "ask", "--config", str(config), "--json", "who brokered the Sumy prisoner swap"
    )
    top = answer.json["results"][0]
    assert (top["title"], top["published"]) == (TITLES[0][:-13], "2026-11-25")


def test_a_feed_with_a_backlog_brings_its_newest_articles_first(
    web: WebServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("bot.feeds.MAX_FETCHES", 2)
    config = write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n")
    first = run_cli("feeds", "--config", str(config), "--once")
    assert first.out.splitlines() == [
        "Feeds: 1 polled, 2 article(s) added.",
        *(f"+ {t}" for t in TITLES[1:]),
        "1 new entry named no keyword: not fetched.",
        "1 more article(s) wait for the next poll.",
    ]
    assert web.hits("/entry1.html") == 0
    second = run_cli("feeds", "--config", str(config), "--once")  # the feed is unchanged
    assert second.out.splitlines() == ["Feeds: 1 polled, 1 article(s) added.", f"+ {TITLES[0]}"]
    assert len(saved(config)) == 3


def test_an_article_that_failed_is_tried_again_though_the_feed_is_unchanged(
    web: WebServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n")
    web.route("/entry2.html", Route(b"busy", 503, "text/html"))
    first = run_cli("feeds", "--config", str(config), "--once")
    assert "2 article(s) added" in first.out and "503" in first.out
    web.route("/entry2.html", Route(page("entry2.html")))  # the site is back; the feed is not new
    second = run_cli("feeds", "--config", str(config), "--once")
    assert second.out.splitlines() == ["Feeds: 1 polled, 1 article(s) added.", f"+ {TITLES[1]}"]
    assert "If-None-Match" not in web.requests_to("/rss.xml")[-1]  # read in full to retry
    third = run_cli("feeds", "--config", str(config), "--once")
    assert "0 article(s) added" in third.out and len(saved(config)) == 3
    assert web.requests_to("/rss.xml")[-1].get("If-None-Match") == '"r1"'  # nothing to retry


def test_an_entry_that_left_the_feed_is_not_retried_for_ever(
    web: WebServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n")
    web.route("/entry2.html", Route(b"busy", 503, "text/html"))
    run_cli("feeds", "--config", str(config), "--once")
    body = re.sub(
        rb"<item>(?:(?!</item>).)*?entry2\.html.*?</item>",
        b"",
        feed_body(web, "rss.xml"),
        flags=re.S,
    )
    assert b"entry2" not in body
    web.route("/rss.xml", Route(body, 200, RSS, etag='"r2"'))
    run_cli("feeds", "--config", str(config), "--once")  # entry2 is gone from the feed
    run_cli("feeds", "--config", str(config), "--once")
    assert web.requests_to("/rss.xml")[-1].get("If-None-Match") == '"r2"'


def test_keywords_choose_the_entries(web: WebServer, tmp_path: Path) -> None:
    config = write_config(tmp_path, f"    - {{url: {web.url('/rss.xml')}, keywords: [Geneva]}}\n")
    result = run_cli("feeds", "--config", str(config), "--once")
    assert result.out.splitlines()[1:] == [
        f"+ {TITLES[1]}",
        "3 new entries named no keyword: not fetched.",
    ]


def test_an_atom_feed_and_an_entry_already_known(web: WebServer, tmp_path: Path) -> None:
    config = write_config(tmp_path, f"    - url: {web.url('/atom.xml')}\n")
    assert run_cli("add", "--config", str(config), web.url("/article.html")).code == 0
    result = run_cli("feeds", "--config", str(config), "--once")
    assert result.code == 0 and "0 article(s) added" in result.out and len(saved(config)) == 1


def test_failing_feeds_are_reported_and_back_off(web: WebServer, tmp_path: Path) -> None:
    feeds = "".join(
        f"    - {{url: {web.url(p)}, every: 10m}}\n" for p in ("/malformed.xml", "/gone.xml")
    )
    feeds += f"    - url: {web.url('/rss.xml')}\n"
    config = write_config(tmp_path, feeds)
    result = run_cli("feeds", "--config", str(config), "--once")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "Feeds: 3 polled, 3 article(s) added."
    assert lines[4:] == [
        "1 new entry named no keyword: not fetched.",
        "Failures:",
        f"! feed {web.url('/malformed.xml')}: malformed feed (SAXParseException)",
        f"! feed {web.url('/gone.xml')}: HTTP error 404 Not Found",
    ]
    store = open_store(load_config(config))
    state = store.state(web.url("/gone.xml"))
    assert state.failures == 1 and state.last_error == "HTTP error 404 Not Found"
    assert state.next_due - time.time() > 1000  # 10 minutes doubled: not due for a while
    store.failed(web.url("/gone.xml"), "HTTP error 404 Not Found", 600)
    assert store.state(web.url("/gone.xml")).failures == 2
    good = store.state(web.url("/rss.xml"))
    assert (good.added, good.failures, good.last_error) == (3, 0, None)


def test_feeds_needs_a_feed_list_and_runs_as_a_process(web: WebServer, tmp_path: Path) -> None:
    assert run_cli("feeds", "--once").code == 2
    config = write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n")
    result = run_module("feeds", "--config", str(config), "--once")
    assert result.code == 0 and "3 article(s) added" in result.out, result.err


def test_feeds_once_prints_its_digest_without_loading_telegram(
    web: WebServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n")
    env = {"PYTHONPROFILEIMPORTTIME": "1"}  # stderr: one "import time: ... | name" per module
    result = run_module("feeds", "--config", str(config), "--once", env=env)
    assert result.code == 0 and result.out.splitlines()[1:4] == [f"+ {t}" for t in TITLES]
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in result.err.splitlines()
        if line.startswith("import time:")
    ]
    assert "bot.digest" in imported
    assert [m for m in imported if m.split(".")[0] == "telegram"] == []


def test_each_feed_remembers_only_its_newest_entries(tmp_path: Path, monkeypatch) -> None:
    from bot import feedstore

    monkeypatch.setattr(feedstore, "MAX_ENTRIES", 3)
    store = feedstore.FeedStore(tmp_path / "news.sqlite3")
    for n in range(6):
        store.handled(
            [("a", f"a{n}", True), ("b", f"b{n}", True)] if n < 2 else [("a", f"a{n}", True)]
        )
    keys = [f"a{n}" for n in range(6)]
    assert sorted(store.pending("a", keys)) == ["a0", "a1", "a2"]  # forgotten: the oldest
    assert store.pending("b", ["b0", "b1"]) == set()  # another feed's entries are its own


def geneva_feed(web: WebServer, tmp_path: Path) -> tuple[Config, FeedStore]:
    """The test feed's config and store, for polls that take only the Geneva entry."""
    config = load_config(write_config(tmp_path, f"    - url: {web.url('/rss.xml')}\n"))
    return config, open_store(config)


async def poll_geneva(config: Config, store: FeedStore, save) -> Batch:
    return await poll(config, store, save, (), ("Geneva",), force=True)


async def test_a_full_disk_is_a_failure_in_the_digest_and_tried_again(
    web: WebServer, tmp_path: Path
) -> None:
    config, store = geneva_feed(web, tmp_path)

    async def full(files):
        raise OSError(errno.ENOSPC, "No space left on device")

    batch = await poll_geneva(config, store, full)
    assert batch.failed and all(
        "could not save: No space left on device" in f for f in batch.failed
    )
    assert store.retrying(web.url("/rss.xml")) == {"wire-2"}  # the next poll tries it again


async def test_an_article_refused_for_another_files_problem_keeps_its_attempts(
    web: WebServer, tmp_path: Path
) -> None:
    config, store = geneva_feed(web, tmp_path)

    async def other_file_broken(files):
        return (Problem("kb/other.md", 3, "published: must be a date YYYY-MM-DD"),)

    for _ in range(MAX_ATTEMPTS + 1):  # the folder stays broken for a while
        batch = await poll_geneva(config, store, other_file_broken)
        assert any("other.md" in f for f in batch.failed)
    assert store.retrying(web.url("/rss.xml")) == {"wire-2"}  # not given up

    async def its_own_file_broken(files):
        return tuple(Problem(f"sources/{name}", 1, "bad") for name, _ in files)

    for _ in range(MAX_ATTEMPTS):
        await poll_geneva(config, store, its_own_file_broken)
    assert store.retrying(web.url("/rss.xml")) == set()  # its own fault: given up


def edited_atom(web: WebServer, updated: str) -> bytes:
    body = feed_body(web, "atom.xml")
    return body.replace(
        b"<updated>2026-11-20T09:30:00Z</updated>", f"<updated>{updated}</updated>".encode()
    )


def test_an_edited_entry_is_fetched_again_and_replaces_its_source(
    web: WebServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, f"    - url: {web.url('/atom.xml')}\n")
    title = "Black Sea talks agree grain ship inspections (2026-11-20)"
    first = run_cli("feeds", "--config", str(config), "--once")
    assert first.out.splitlines() == ["Feeds: 1 polled, 1 article(s) added.", f"+ {title}"]
    (name,) = saved(config)
    fifth = page("article.html").replace(b"the third of December", b"the fifth of December")
    web.route("/article.html", Route(fifth))
    same = run_cli("feeds", "--config", str(config), "--once")  # the entry was not edited
    assert same.out == "Feeds: 1 polled, 0 article(s) added.\n" and web.hits("/article.html") == 1
    atom = "application/atom+xml"
    web.route("/atom.xml", Route(edited_atom(web, "2026-11-21T08:00:00Z"), 200, atom))
    second = run_cli("feeds", "--config", str(config), "--once")
    assert second.out.splitlines() == [
        "Feeds: 1 polled, 0 article(s) added, 1 updated.",
        f"~ {title}",
    ]
    assert saved(config) == [name]  # the same file, so the same source id for citations
    question = "When do the grain inspections start?"
    top = run_cli("ask", "--config", str(config), "--json", question).json["results"][0]
    assert "fifth of December" in top["excerpt"] and top["source_id"] == name.removesuffix(".md")
    third = run_cli("feeds", "--config", str(config), "--once")  # told once
    assert third.out == "Feeds: 1 polled, 0 article(s) added.\n" and web.hits("/article.html") == 2
    (config.parent / "state" / "sources" / name).unlink()  # /remove: an edit brings it not back
    web.route("/atom.xml", Route(edited_atom(web, "2026-11-22T08:00:00Z"), 200, atom))
    fourth = run_cli("feeds", "--config", str(config), "--once")
    assert fourth.out == "Feeds: 1 polled, 0 article(s) added.\n" and saved(config) == []


SUMY = (b"swap ninety prisoners", b"swap ninety-two prisoners")  # the feed's correction
DNIPRO = (b"unarmed monitors", b"unarmed civilian monitors")


def correct(web: WebServer, etag: str, *fixes: tuple[bytes, bytes]) -> None:
    """Serve the test RSS feed with ``fixes`` made to its entries, and the articles corrected."""
    body = feed_body(web, "rss.xml")
    for old, new in fixes:
        body = body.replace(old, new)
    web.route("/rss.xml", Route(body, 200, RSS, etag=etag))
    pages = {SUMY: ("entry1.html", b"exchanged ninety"), DNIPRO: ("entry3.html", b"unarmed")}
    for fix in fixes:
        name, said = pages[fix]
        web.route(f"/{name}", Route(page(name).replace(said, said + b" (corrected)")))


def test_an_rss_entry_corrected_in_the_feed_is_fetched_again_once(
    web: WebServer, tmp_path: Path
) -> None:
    config = polled_rss(web, tmp_path)
    names = saved(config)
    correct(web, '"r2"', SUMY)  # RSS: no updated time, only the summary changes
    second = run_cli("feeds", "--config", str(config), "--once")
    assert second.out.splitlines() == [
        "Feeds: 1 polled, 0 article(s) added, 1 updated.",
        f"~ {TITLES[0]}",
    ]
    assert saved(config) == names and web.hits("/entry2.html") == 1  # the others not fetched
    question = "How many prisoners were exchanged at the Sumy crossing?"
    top = run_cli("ask", "--config", str(config), "--json", question).json["results"][0]
    assert "exchanged ninety (corrected)" in top["excerpt"]
    third = run_cli("feeds", "--config", str(config), "--once")  # told once
    assert third.out == "Feeds: 1 polled, 0 article(s) added.\n" and web.hits("/entry1.html") == 2
    reflowed = (
        feed_body(web, "rss.xml").replace(*SUMY).replace(b"<description>", b"<description>\n ")
    )
    web.route("/rss.xml", Route(reflowed, 200, RSS, etag='"r3"'))  # only whitespace: no edit
    fourth = run_cli("feeds", "--config", str(config), "--once")
    assert fourth.out == "Feeds: 1 polled, 0 article(s) added.\n" and web.hits("/entry1.html") == 2


def test_a_summary_that_changes_at_every_poll_does_not_fetch_its_article_every_time(
    web: WebServer, tmp_path: Path
) -> None:
    config = polled_rss(web, tmp_path)
    names = saved(config)
    for minutes in (5, 20, 35):  # "posted N minutes ago": an edit of the feed, not the article
        said = f"swap ninety prisoners ({minutes} minutes ago)".encode()
        body = feed_body(web, "rss.xml").replace(b"swap ninety prisoners", said)
        web.route("/rss.xml", Route(body, 200, RSS, etag=f'"m{minutes}"'))
        polled = run_cli("feeds", "--config", str(config), "--once")
        assert polled.out == "Feeds: 1 polled, 0 article(s) added.\n"
    assert web.hits("/entry1.html") == 2  # the first edit fetched it again; the next ones rest
    store = open_store(load_config(config))
    with closing(sqlite3.connect(store.path)) as con, con:  # the rest is over
        con.execute("UPDATE feed_entries SET recheck_after = ?", (time.time() - 1,))
    correct(web, '"r2"', SUMY)  # a real correction: fetched, and saved over the same file
    fixed = run_cli("feeds", "--config", str(config), "--once")
    assert fixed.out.splitlines() == [
        "Feeds: 1 polled, 0 article(s) added, 1 updated.",
        f"~ {TITLES[0]}",
    ]
    assert saved(config) == names and web.hits("/entry1.html") == 3


def test_an_edit_that_found_its_article_unchanged_rests_until_its_recheck_time(
    tmp_path: Path,
) -> None:
    store = FeedStore(tmp_path / "news.sqlite3")
    store.handled([("feed", "a", True), ("feed", "b", True)])
    saved = [("feed", "a", None, "m1", "a.md"), ("feed", "b", None, "m1", "b.md")]
    store.saved(saved, unchanged={("feed", "a")}, now=1000.0)
    shown = {"a": (None, "m2"), "b": (None, "m2")}  # both summaries changed since
    assert store.edited("feed", shown, now=1000.0 + EDIT_REST_S - 1) == {"b": "b.md"}
    assert store.edited("feed", shown, now=1000.0 + EDIT_REST_S) == {"a": "a.md", "b": "b.md"}
    store.saved(saved[:1], now=2000.0)  # fetched again and changed: no rest
    assert store.edited("feed", shown, now=2000.0) == {"a": "a.md", "b": "b.md"}


def test_after_an_upgrade_saved_entries_are_not_all_fetched_again(
    web: WebServer, tmp_path: Path
) -> None:
    config = polled_rss(web, tmp_path)
    store = open_store(load_config(config))
    with closing(sqlite3.connect(store.path)) as con, con:  # as the release before left it
        con.execute("UPDATE feed_entries SET fingerprint = NULL")
    correct(web, '"r2"', SUMY, DNIPRO)
    first = run_cli("feeds", "--config", str(config), "--once")  # fingerprints noted silently
    assert first.out == "Feeds: 1 polled, 0 article(s) added.\n"
    assert (web.hits("/entry1.html"), web.hits("/entry3.html")) == (1, 1)
    web.route("/rss.xml", Route(feed_body(web, "rss.xml"), 200, RSS, etag='"r3"'))  # undone
    second = run_cli("feeds", "--config", str(config), "--once")
    assert second.out.splitlines()[0] == "Feeds: 1 polled, 0 article(s) added, 2 updated."


def test_edits_beyond_the_fetch_limit_are_fetched_at_the_next_polls(
    web: WebServer, tmp_path: Path, monkeypatch
) -> None:
    config = polled_rss(web, tmp_path)
    monkeypatch.setattr("bot.feeds.MAX_FETCHES", 1)
    correct(web, '"r2"', SUMY, DNIPRO)
    second = run_cli("feeds", "--config", str(config), "--once").out.splitlines()
    assert second[0] == "Feeds: 1 polled, 0 article(s) added, 1 updated."
    assert second[2:] == ["1 more article(s) wait for the next poll."]
    third = run_cli("feeds", "--config", str(config), "--once").out.splitlines()  # feed unchanged
    assert third[0] == "Feeds: 1 polled, 0 article(s) added, 1 updated." and len(third) == 2
    assert {second[1], third[1]} == {f"~ {TITLES[0]}", f"~ {TITLES[2]}"}
    assert "If-None-Match" not in web.requests_to("/rss.xml")[-1]  # read in full to find it
    fourth = run_cli("feeds", "--config", str(config), "--once")
    assert fourth.out == "Feeds: 1 polled, 0 article(s) added.\n"
    assert web.requests_to("/rss.xml")[-1].get("If-None-Match") == '"r2"'  # nothing waits


def test_an_edit_refused_for_another_files_problem_is_fetched_at_the_next_poll(
    web: WebServer, tmp_path: Path
) -> None:
    config = polled_rss(web, tmp_path)
    correct(web, '"r2"', SUMY)
    loaded = load_config(config)

    async def other_file_broken(files):
        return (Problem("kb/other.md", 3, "published: must be a date YYYY-MM-DD"),)

    refused = asyncio.run(poll(loaded, open_store(loaded), other_file_broken, (), (), force=True))
    assert refused.updated == () and any("other.md" in f for f in refused.failed)
    fixed = run_cli("feeds", "--config", str(config), "--once")  # the feed itself is unchanged
    assert fixed.out.splitlines() == [
        "Feeds: 1 polled, 0 article(s) added, 1 updated.",
        f"~ {TITLES[0]}",
    ]

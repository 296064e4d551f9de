"""Feeds over weeks, as an operator lives them with `python -m bot feeds --once`: real-world
feeds and pages (time zones, redirects, AMP twins, relative links, paywalls, page furniture)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.web_server import PAGES, Route, WebServer

WEEKS = PAGES / "weeks"
RSS, ATOM = "application/rss+xml", "application/atom+xml"
PAGES_AT = {
    "/late.html": "late.html",
    "/kyiv.html": "kyiv.html",
    "/quiet.html": "quiet.html",
    "/nodate.html": "nodate.html",
    "/future.html": "future.html",
    "/news/riyadh-energy-truce": "story.html",
    "/amp/riyadh-energy-truce": "amp.html",
    "/ledger/geneva": "paywall.html",
    "/junk.html": "junk.html",
    "/ru/moscow-reply": "moscow.html",
    "/istanbul.html": "istanbul.html",
    "/print/istanbul?utm_source=rss": "istanbul.html",
}


def based(web: WebServer, name: str) -> bytes:
    """A fixture file with BASE replaced by the server's address."""
    return (WEEKS / name).read_bytes().replace(b"BASE", web.url("").encode())


@contextmanager
def first_week() -> Iterator[WebServer]:
    """The news site as the first week's polls find it: its pages and its two feeds."""
    with WebServer() as server:
        for path, name in PAGES_AT.items():
            server.route(path, Route(based(server, name)))
        server.redirect("/r/42", "/news/riyadh-energy-truce")
        server.route("/rss.xml", Route(based(server, "rss1.xml"), 200, RSS, etag='"w1"'))
        server.route("/atom.xml", Route(based(server, "atom1.xml"), 200, ATOM, etag='"a1"'))
        yield server


@pytest.fixture
def web() -> Iterator[WebServer]:
    with first_week() as server:
        yield server


def write_config(tmp_path: Path, *feeds: str) -> Path:
    path = tmp_path / "bot.yaml"
    listed = "".join(f"    - url: {url}\n" for url in feeds)
    path.write_text(
        f"knowledge:\n  allow_private_hosts: true\n  fetch_timeout: 2\n  feeds:\n{listed}"
        "storage:\n  dir: state\n",
        encoding="utf-8",
    )
    return path


def saved(config: Path) -> dict[str, str]:
    """Each saved source's title → its file's text."""
    files = (config.parent / "state" / "sources").glob("*.md")
    texts = [p.read_text(encoding="utf-8") for p in files]
    return {re.search(r"^title: (.*)$", t, re.M)[1].strip("'\""): t for t in texts}


def published(text: str) -> str | None:
    found = re.search(r"^published: '?([\d-]+)'?$", text, re.M)
    return found[1] if found else None


def test_week_one_saves_each_story_once_with_its_publishers_date(
    web: WebServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, web.url("/rss.xml"), web.url("/atom.xml"))
    first = run_cli("feeds", "--config", str(config), "--once")
    assert first.code == 0, first.out + first.err
    assert first.out.startswith("Feeds: 2 polled, 9 article(s) added.\n")
    assert "1 new entry named no keyword: not fetched." in first.out  # the football
    sources = saved(config)
    assert len(sources) == 9  # the Riyadh story once, though linked by both feeds
    riyadh = sources["Envoys meet in Riyadh on an energy truce"]
    assert f"url: {web.url('/news/riyadh-energy-truce')}" in riyadh  # its canonical URL
    # a Kyiv entry 00:30 +03:00 on the 28th is the 28th, not the 27th of UTC
    assert published(sources["Zelensky and Erdogan speak late into the night"]) == "2026-11-28"
    assert published(riyadh) == "2026-11-27"
    assert published(sources["Inside the Geneva back channel"]) == "2026-11-26"
    # a date in 2100 is a feed's mistake: the source is undated, not the newest
    assert published(sources["Kremlin spokesman comments on talks schedule"]) is None
    assert published(sources["UN envoy calls for access to detention sites"]) is None
    # a relative link in the Atom feed is read against the feed's address
    moscow = sources["Москва ответила на предложения Киева по энергетическому перемирию"]
    assert published(moscow) == "2026-11-27"
    assert web.hits("/football.html") == 0
    latest = run_cli("ask", "--config", str(config), "what is the latest on the talks?")
    assert latest.out.startswith("As of 2026-11-28 (the newest source shown).")
    kremlin = run_cli("ask", "--config", str(config), "latest Kremlin comments on the talks")
    assert "2100" not in kremlin.out


def test_page_furniture_and_a_paywall_are_not_saved_as_the_story(
    web: WebServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, web.url("/rss.xml"))
    added = run_cli("add", "--config", str(config), web.url("/junk.html"))
    assert added.code == 0, added.err
    run_cli("feeds", "--config", str(config), "--once")
    sources = saved(config)
    maps = sources["Negotiators trade maps in Abu Dhabi"]
    assert "exchanged maps of the front line" in maps and "Emirati officials" in maps
    for junk in ("READ MORE", "ceasefire must wait for spring", "Advertisement", "newsletter"):
        assert junk not in maps
    assert "Subscribe" not in maps
    geneva = sources["Inside the Geneva back channel"]
    assert "Swiss diplomats have carried messages" in geneva
    assert "Subscribe" not in geneva and "subscribers only" not in geneva
    # another story's headline, linked from this page, is not this source's claim
    answer = run_cli("ask", "--config", str(config), "Putin ceasefire wait for spring")
    assert "Negotiators trade maps" not in answer.out


def test_weeks_later_new_stories_come_once_and_a_failing_feed_recovers(
    web: WebServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, web.url("/rss.xml"), web.url("/atom.xml"))
    run_cli("feeds", "--config", str(config), "--once")
    before = saved(config)
    web.route("/rss.xml", Route(based(web, "rss2.xml"), 200, RSS, etag='"w2"'))
    web.route("/atom.xml", Route(b"<h1>Internal error</h1>", 500, "text/html"))
    second = run_cli("feeds", "--config", str(config), "--once")
    assert second.code == 1
    assert second.out.splitlines() == [
        "Feeds: 2 polled, 1 article(s) added.",
        "+ Istanbul round set for next week, Turkey says (2026-11-29)",
        "Failures:",
        f"! feed {web.url('/atom.xml')}: HTTP error 500 Internal Server Error",
    ]
    after = saved(config)
    assert set(after) - set(before) == {"Istanbul round set for next week, Turkey says"}
    # the edited entry is the story already saved, under its first title
    assert (
        after["Zelensky and Erdogan speak late into the night"]
        == (before["Zelensky and Erdogan speak late into the night"])
    )
    web.route("/atom.xml", Route(based(web, "atom1.xml"), 200, ATOM, etag='"a1"'))
    third = run_cli("feeds", "--config", str(config), "--once")
    assert (third.code, third.out) == (0, "Feeds: 2 polled, 0 article(s) added.\n")
    assert web.requests_to("/atom.xml")[-1].get("If-None-Match") == '"a1"'  # kept through 500
    latest = run_cli("ask", "--config", str(config), "latest on the Istanbul round")
    assert latest.out.startswith("As of 2026-11-29")


def test_a_page_published_after_midnight_east_of_utc_keeps_its_own_date(
    web: WebServer, tmp_path: Path
) -> None:
    # 00:30 in Kyiv tomorrow is still today in UTC: the page's date is tomorrow's
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    web.route(
        "/midnight.html", Route(based(web, "midnight.html").replace(b"DAY", tomorrow.encode()))
    )
    config = write_config(tmp_path)
    added = run_cli("add", "--config", str(config), web.url("/midnight.html"))
    assert added.out.startswith(
        f"added: Kyiv hands over its energy truce draft after midnight ({tomorrow})"
    )


def test_a_site_whose_canonical_links_all_name_its_home_page_loses_no_article(
    web: WebServer, tmp_path: Path
) -> None:
    home = b'<link rel="canonical" href="https://steppe.example/">'
    story = re.sub(rb'<link rel="canonical"[^>]*>', home, based(web, "story.html"))
    other = based(web, "istanbul.html").replace(b"</title>", b"</title>" + home)
    web.route("/news/a", Route(story))
    web.route("/news/b", Route(other))
    config = write_config(tmp_path)
    first = run_cli("add", "--config", str(config), web.url("/news/a"))
    second = run_cli("add", "--config", str(config), web.url("/news/b"))  # days later
    assert first.out.startswith("added: Envoys meet in Riyadh on an energy truce (2026-11-27)")
    assert second.out.startswith("added: Istanbul round set for next week, Turkey says — ")
    sources = saved(config)
    assert f"url: {web.url('/news/a')}" in sources["Envoys meet in Riyadh on an energy truce"]


def test_an_amp_twin_with_less_text_in_the_same_poll_is_the_same_story(
    web: WebServer, tmp_path: Path
) -> None:
    # the AMP page drops two of the four paragraphs: not "the same text", but its canonical
    # link names the story the RSS entry's redirect led to
    amp = based(web, "amp.html")
    amp = re.sub(rb"<p>The Kremlin said.*?</p>|<p>No date was set.*?</p>", b"", amp, flags=re.S)
    web.route("/amp/riyadh-energy-truce", Route(amp))
    config = write_config(tmp_path, web.url("/rss.xml"), web.url("/atom.xml"))
    polled = run_cli("feeds", "--config", str(config), "--once")
    assert polled.out.startswith("Feeds: 2 polled, 9 article(s) added.")
    assert polled.out.count("Envoys meet in Riyadh") == 1
    riyadh = saved(config)["Envoys meet in Riyadh on an energy truce"]
    assert "author: Iryna Kovalenko" in riyadh and "The Kremlin said" in riyadh  # the full page


def test_a_feed_dating_its_entries_day_first_gives_their_dates(
    web: WebServer, tmp_path: Path
) -> None:
    feed = based(web, "rss1.xml").replace(
        b"<pubDate>Sat, 28 Nov 2026 00:30:00 +0300</pubDate>",
        b"<pubDate>28.11.2026 00:30</pubDate>",
    )
    web.route("/dotted.xml", Route(feed, 200, RSS))
    config = write_config(tmp_path, web.url("/dotted.xml"))
    run_cli("feeds", "--config", str(config), "--once")
    late = saved(config)["Zelensky and Erdogan speak late into the night"]
    assert published(late) == "2026-11-28"


def test_a_consent_wall_served_instead_of_the_article_is_not_saved(
    web: WebServer, tmp_path: Path
) -> None:
    for path in ("/eu/a.html", "/eu/b.html"):
        web.route(path, Route(based(web, "consent.html")))
    config = write_config(tmp_path)
    added = run_cli("add", "--config", str(config), web.url("/eu/a.html"), web.url("/eu/b.html"))
    assert added.code == 1 and added.out == ""
    assert added.err.splitlines() == [
        f"{web.url('/eu/a.html')}: no article text found on the page",
        f"{web.url('/eu/b.html')}: no article text found on the page",
    ]
    assert saved(config) == {}


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("By Iryna Kovalenko · 27 November 2026", "Iryna Kovalenko"),
        ("Автор: Ірина Коваленко", "Ірина Коваленко"),
    ],
)
def test_a_byline_gives_the_authors_name_alone(
    web: WebServer, tmp_path: Path, byline: str, author: str
) -> None:
    page = re.sub(
        rb"<script type=\"application/ld\+json\">.*?</script>", b"", based(web, "story.html")
    )
    page = page.replace(b"By Iryna Kovalenko \xc2\xb7 2 December 2026", byline.encode())
    web.route("/byline.html", Route(page))
    config = write_config(tmp_path)
    run_cli("add", "--config", str(config), web.url("/byline.html"))
    answer = run_cli("ask", "--config", str(config), "energy truce Riyadh mediators hotels")
    assert f"— Envoys meet in Riyadh on an energy truce — {author} — Steppe Herald" in answer.out


def test_a_page_without_its_own_date_takes_the_entrys_not_a_listed_storys(
    web: WebServer, tmp_path: Path
) -> None:
    # no date of its own (no markup, a byline without its date: the fixture's "2 December
    # 2026" is a fair date from 1 December on); its "More from World" list dates other stories
    page = re.sub(
        rb"<script type=\"application/ld\+json\">.*?</script>", b"", based(web, "story.html")
    )
    page = page.replace(b"By Iryna Kovalenko \xc2\xb7 2 December 2026", b"By Iryna Kovalenko")
    web.route("/news/riyadh-energy-truce", Route(page))
    config = write_config(tmp_path, web.url("/rss.xml"))
    polled = run_cli("feeds", "--config", str(config), "--once")
    assert "+ Envoys meet in Riyadh on an energy truce (2026-11-27)" in polled.out

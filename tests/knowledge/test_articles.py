"""Web pages to sources: extraction, the Markdown written, canonical URLs, repeats."""

from __future__ import annotations

from pathlib import Path

from knowledge.articles import (
    Article,
    canonical_url,
    extract_article,
    known_as,
    same_text,
    to_markdown,
)
from knowledge.models import Source
from knowledge.sources import read_source
from tests.helpers.web_server import page

URL = "http://127.0.0.1:8000/article.html"


def html(name: str) -> str:
    return page(name).decode("utf-8")


def test_an_article_page_gives_text_and_metadata() -> None:
    article = extract_article(html("article.html"), URL)
    assert article is not None
    assert article.title == "Black Sea talks agree grain ship inspections"
    assert article.publisher == "Harbour Gazette" and article.author == "Olena Marchuk"
    assert article.published == "2026-11-20"
    assert article.url == "https://harbour-gazette.example/2026/11/20/grain-ship-inspections"
    assert article.text.startswith("Negotiators for Ukraine and Russia agreed in Varna")
    assert "All rights reserved" not in article.text and "Sport" not in article.text


def test_a_page_without_an_article_gives_none() -> None:
    assert extract_article(html("no_article.html"), URL) is None
    assert extract_article("", URL) is None


def test_an_undated_page_takes_the_given_date_and_its_own_url() -> None:
    article = extract_article(html("mirror.html"), URL, published="2026-11-21")
    assert article is not None and article.published == "2026-11-21" and article.url == URL


def test_a_page_that_states_no_date_is_not_dated_by_a_guess() -> None:
    for hint in ("© 2024 News Aggregator", "Copyright 2023 News Aggregator", "Since March 2025"):
        undated = html("mirror.html").replace("</main>", f"</main><footer>{hint}</footer>")
        article = extract_article(undated, URL)
        assert article is not None and article.published is None, hint
        fed = extract_article(undated, URL, published="2026-11-21")
        assert fed is not None and fed.published == "2026-11-21", hint


def test_the_markdown_reads_back_as_the_same_source(tmp_path: Path) -> None:
    article = Article(
        URL, 'Talks: "round two"', "First line of the text.\n\nSecond.", None, "P", "2026-01-02"
    )
    path = tmp_path / "a.md"
    path.write_text(to_markdown(article), encoding="utf-8")
    source, problems, _ = read_source(path)
    assert problems == [] and source is not None
    assert (source.title, source.url, source.publisher, source.published) == (
        'Talks: "round two"',
        URL,
        "P",
        "2026-01-02",
    )
    assert source.author is None and source.text.startswith("First line")


def test_canonical_urls_ignore_case_fragments_tracking_and_trailing_slashes() -> None:
    same = {
        canonical_url("HTTPS://Example.org:443/a/?utm_source=x&b=2&a=1#top"),
        canonical_url("https://example.org/a?a=1&b=2"),
    }
    assert same == {"https://example.org/a?a=1&b=2"}
    assert canonical_url("http://example.org:8080/a") != canonical_url("http://example.org/a")


def test_the_same_text_is_known_whatever_the_url() -> None:
    article = extract_article(html("article.html"), URL)
    mirror = extract_article(html("mirror.html"), "http://other.example/m")
    entry = extract_article(html("entry1.html"), "http://other.example/e")
    assert article and mirror and entry
    assert same_text(article.text, mirror.text) and not same_text(article.text, entry.text)
    stored = Source("grain", article.title, article.text, url=article.url)
    assert known_as(mirror, [], [stored]) == stored
    assert known_as(entry, [], [stored]) is None
    by_url = Source("other", "Other", "unrelated words entirely", url=article.url + "/")
    assert known_as(article, [], [by_url]) == by_url
    fetched_through = Source("x", "X", "unrelated words", url="http://other.example/e?utm_medium=1")
    assert known_as(entry, ["http://other.example/e"], [fetched_through]) == fetched_through

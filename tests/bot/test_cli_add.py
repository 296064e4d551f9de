"""`python -m bot add URL…`: articles become sources that `ask` cites; bad pages change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli, run_module
from tests.helpers.web_server import ARTICLE_QUESTION, ARTICLE_TITLE, Route, WebServer, page

QUESTION, TITLE = ARTICLE_QUESTION, ARTICLE_TITLE


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        server.route("/article.html", Route(page("article.html")))
        server.route("/copy/article.html", Route(page("article.html")))
        server.route("/mirror.html", Route(page("mirror.html")))
        server.route("/menu.html", Route(page("no_article.html")))
        server.route("/paper.pdf", Route(b"%PDF-1.7 ...", 200, "application/pdf"))
        server.route("/boom.html", Route(b"oops", 500, "text/html"))
        server.route("/slow.html", Route(page("article.html"), slow=True))
        server.route("/big.html", Route(b"<p>" + b"word " * 400 + b"</p>"))
        server.redirect("/ping", "/pong")
        server.redirect("/pong", "/ping")
        yield server


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "bot.yaml"
    path.write_text(
        "knowledge:\n  allow_private_hosts: true\n  fetch_timeout: 0.3\n"
        "storage:\n  dir: state\n  max_upload_bytes: 1500\n",
        encoding="utf-8",
    )
    return path


def saved(config: Path) -> list[str]:
    folder = config.parent / "state" / "sources"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def sources_folder_made(config: Path) -> bool:
    return (config.parent / "state" / "sources").exists()


def test_an_added_article_is_cited_with_title_publisher_and_date(web, config) -> None:
    before = run_cli("ask", "--config", str(config), "--json", QUESTION).json
    assert all("Harbour" not in str(r["publisher"]) for r in before["results"])
    result = run_cli("add", "--config", str(config), web.url("/article.html"))
    assert result.code == 0, result.err
    assert result.out.startswith("added: Black Sea talks agree grain ship inspections (2026-11-20)")
    assert saved(config) == ["Black_Sea_talks_agree_grain_ship_inspe-0b2bf576.md"]
    top = run_cli("ask", "--config", str(config), "--json", QUESTION).json["results"][0]
    assert (top["title"], top["publisher"], top["published"]) == (
        "Black Sea talks agree grain ship inspections",
        "Harbour Gazette",
        "2026-11-20",
    )
    assert "Bulgarian and Romanian harbour inspectors" in top["excerpt"]
    text = run_cli("ask", "--config", str(config), QUESTION).out
    cited = " — ".join((TITLE, "Olena Marchuk", "Harbour Gazette", "2026-11-20"))
    assert f"— {cited}" in text


def test_the_same_article_again_is_already_known(web, config) -> None:
    assert run_cli("add", "--config", str(config), web.url("/article.html")).code == 0
    for path in ("/article.html", "/copy/article.html", "/mirror.html"):
        again = run_cli("add", "--config", str(config), web.url(path))
        assert again.code == 0 and again.out.startswith("already known: Black Sea talks"), path
    assert len(saved(config)) == 1
    both = run_cli(
        "add", "--config", str(config), web.url("/mirror.html"), web.url("/copy/article.html")
    )
    assert both.code == 0 and both.out.count("already known") == 2


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/menu.html", "no article text found on the page"),
        ("/paper.pdf", "not an HTML page (content type application/pdf)"),
        ("/missing.html", "HTTP error 404 Not Found"),
        ("/boom.html", "HTTP error 500 Internal Server Error"),
        ("/ping", "redirect loop"),
        ("/slow.html", "timed out"),
        ("/big.html", "too large: 2,007 bytes (limit 1,500)"),
    ],
)
def test_a_bad_page_exits_1_with_one_line_and_changes_nothing(web, config, path, reason) -> None:
    result = run_cli("add", "--config", str(config), web.url(path))
    assert (result.code, result.out, result.err) == (1, "", f"{web.url(path)}: {reason}\n")
    assert not sources_folder_made(config)


def test_an_unreadable_url_is_one_line_not_a_traceback(config) -> None:
    bad = "http://[::1/article.html"
    result = run_cli("add", "--config", str(config), bad)
    expected = f"{bad}: not a URL (its host cannot be read)\n"
    assert (result.code, result.out, result.err) == (1, "", expected)
    assert not sources_folder_made(config)


def test_every_url_failing_leaves_storage_without_a_sources_folder(web, config) -> None:
    urls = [web.url("/menu.html"), web.url("/boom.html"), "http://[::1/x.html"]
    result = run_cli("add", "--config", str(config), *urls)
    assert result.code == 1 and result.out == "" and result.err.count("\n") == 3
    assert not sources_folder_made(config)
    assert run_cli("add", "--config", str(config), web.url("/article.html")).code == 0
    assert sources_folder_made(config) and len(saved(config)) == 1


def test_one_bad_url_among_good_ones_still_adds_the_good(web, config) -> None:
    result = run_cli(
        "add", "--config", str(config), web.url("/boom.html"), web.url("/article.html")
    )
    assert result.code == 1 and "added: Black Sea" in result.out and "boom.html: HTTP" in result.err
    assert len(saved(config)) == 1


def test_private_hosts_are_refused_by_default(web, tmp_path: Path) -> None:
    result = run_cli("add", web.url("/article.html"))
    assert result.code == 1
    assert (
        result.err
        == f"{web.url('/article.html')}: refused: 127.0.0.1 is a private or reserved address\n"
    )


def test_add_as_a_process_and_its_usage_errors(web, config) -> None:
    result = run_module("add", "--config", str(config), web.url("/article.html"))
    assert result.code == 0 and result.out.startswith("added: "), result.err
    assert run_module("add", "--config", str(config)).code == 2  # no URL
    bad = config.parent / "bad.yaml"
    bad.write_text("knowledge:\n  allow_private_hosts: maybe\n", encoding="utf-8")
    result = run_cli("add", "--config", str(bad), web.url("/article.html"))
    assert result.code == 2 and "knowledge.allow_private_hosts: must be true or false" in result.err


def test_a_page_in_its_own_charset_is_read_right(web, config) -> None:
    text = "Делегації України та Росії зустрілися в Стамбулі, щоб обговорити обмін полоненими. "
    html = (
        '<html><head><meta charset="windows-1251"><title>Переговори у Стамбулі</title></head>'
        f"<body><article><p>{text * 4}</p></article></body></html>"
    )
    url = web.route("/uk.html", Route(html.encode("cp1251"), 200, "text/html"))  # no charset
    result = run_cli("add", "--config", str(config), url)
    assert result.out.startswith("added: Переговори у Стамбулі"), result.err


def test_a_page_without_a_stated_date_is_added_undated_not_with_its_copyright_year(
    web, config
) -> None:
    footer = b"</main><footer>\xc2\xa9 2024 News Aggregator. All rights reserved.</footer>"
    url = web.route("/undated.html", Route(page("mirror.html").replace(b"</main>", footer)))
    result = run_cli("add", "--config", str(config), url)
    assert result.out == f"added: Syndicated: grain inspections agreed at Varna — {url}\n"
    (name,) = saved(config)
    assert "published:" not in (config.parent / "state" / "sources" / name).read_text("utf-8")

"""Fetching pages safely: limits, redirects, refused addresses, pinning, conditional GET."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from bot import fetch as fetching
from bot.fetch import FEED_TYPES, FetchError, FetchPolicy, fetch, is_public
from tests.helpers.ports import free_port
from tests.helpers.web_server import Route, WebServer, page

LOCAL = FetchPolicy(allow_private=True, read_timeout=0.3, connect_timeout=1.0)


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server


async def reason(url: str, policy: FetchPolicy = LOCAL, **kw) -> str:
    with pytest.raises(FetchError) as caught:
        await fetch(url, policy, **kw)
    assert caught.value.url == url
    return caught.value.reason


async def test_a_page_is_fetched_with_its_charset(web: WebServer) -> None:
    url = web.route(
        "/a.html", Route("Привіт, світ".encode("cp1251"), 200, "text/html; charset=windows-1251")
    )
    got = await fetch(url, LOCAL)
    assert got.text() == "Привіт, світ" and got.url == url and got.hops == (url,)


async def test_http_errors_and_wrong_types_name_the_reason(web: WebServer) -> None:
    assert await reason(web.url("/missing.html")) == "HTTP error 404 Not Found"
    web.route("/boom.html", Route(b"oops", 500, "text/html"))
    assert await reason(web.url("/boom.html")) == "HTTP error 500 Internal Server Error"
    web.route("/paper.pdf", Route(b"%PDF-1.7", 200, "application/pdf"))
    assert await reason(web.url("/paper.pdf")) == "not an HTML page (content type application/pdf)"
    web.route("/photo", Route(b"\x89PNG", 200, "image/png"))
    assert "image/png" in await reason(web.url("/photo"))


async def test_size_limit_timeout_and_scheme(web: WebServer) -> None:
    url = web.route("/big.html", Route(b"<p>" + b"x" * 2000 + b"</p>"))
    assert "too large" in await reason(url, FetchPolicy(allow_private=True, max_bytes=1000))
    unsized = web.route("/stream.html", Route(b"<p>" + b"x" * 200_000 + b"</p>", unsized=True))
    policy = FetchPolicy(allow_private=True, max_bytes=1000)
    assert await reason(unsized, policy) == "too large: over the limit of 1,000 bytes"
    slow = web.route("/slow.html", Route(page("article.html"), slow=True))
    assert await reason(slow) == "timed out"
    assert "only http:// and https://" in await reason("file:///etc/passwd")
    assert "only http:// and https://" in await reason("ftp://127.0.0.1/x")


async def test_a_server_that_is_not_there_is_said_in_words() -> None:
    said = await reason(f"http://127.0.0.1:{free_port()}/a.html")  # nothing listens there
    assert said.startswith("cannot connect: ") and "Error" not in said, said


async def test_redirects_are_followed_to_a_limit_and_loops_are_named(web: WebServer) -> None:
    web.route("/final.html", Route(page("article.html")))
    start = web.redirect("/old.html", "/final.html", 301)
    got = await fetch(start, LOCAL)
    assert got.url == web.url("/final.html") and got.hops == (start, got.url)
    web.redirect("/ping", "/pong")
    web.redirect("/pong", "/ping")
    assert await reason(web.url("/ping")) == "redirect loop"
    for i in range(8):
        web.redirect(f"/r{i}", f"/r{i + 1}")
    assert await reason(web.url("/r0")) == "more than 5 redirects"


async def test_private_addresses_are_refused_unless_allowed(web: WebServer) -> None:
    url = web.route("/a.html", Route(page("article.html")))
    refused = await reason(url, FetchPolicy())
    assert refused == "refused: 127.0.0.1 is a private or reserved address"
    assert web.requests == []  # refused before any connection
    for address in ("10.1.2.3", "169.254.169.254", "::1", "224.0.0.1", "::ffff:127.0.0.1"):
        assert not is_public(ipaddress.ip_address(address)), address
    assert is_public(ipaddress.ip_address("93.184.216.34"))


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Host names the fetcher resolves from this table instead of DNS."""
    table: dict[str, list[str]] = {}

    async def lookup(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("unknown host")
        return table[host]

    monkeypatch.setattr(fetching, "lookup", lookup)
    monkeypatch.setattr(fetching, "is_public", lambda a: str(a) == "127.0.0.1")
    return table


async def test_each_redirect_hop_is_checked_again(web: WebServer, resolver) -> None:
    """A public page redirecting to a private address is refused at the second hop."""
    resolver["news.test"] = ["127.0.0.1"]  # "public" in this test
    resolver["intranet.test"] = ["127.0.0.2"]
    port = web.server.server_address[1]
    web.redirect("/go", f"http://intranet.test:{port}/secret")
    start = f"http://news.test:{port}/go"
    assert await reason(start, FetchPolicy()) == (
        "refused: intranet.test is a private or reserved address"
    )
    assert [p for p, _ in web.requests] == ["/go"]


async def test_the_checked_address_is_the_one_connected_to(web: WebServer, resolver) -> None:
    """The request goes to the address that passed the check (no second lookup to rebind)."""
    resolver["news.test"] = ["127.0.0.1"]
    port = web.server.server_address[1]
    web.route("/a.html", Route(page("article.html")))
    got = await fetch(f"http://news.test:{port}/a.html", FetchPolicy())
    assert b"Varna" in got.body
    assert web.requests[0][1]["Host"] == f"news.test:{port}"  # the name, not the address
    resolver["mixed.test"] = ["127.0.0.1", "10.0.0.5"]  # one bad address refuses the host
    assert "mixed.test is a private" in await reason(
        f"http://mixed.test:{port}/a.html", FetchPolicy()
    )


async def test_conditional_get_answers_not_modified(web: WebServer) -> None:
    url = web.route("/feed.xml", Route(b"<rss/>", 200, "application/rss+xml", etag='"v1"'))
    first = await fetch(url, LOCAL, FEED_TYPES)
    assert first.etag == '"v1"' and not first.not_modified
    again = await fetch(url, LOCAL, FEED_TYPES, etag=first.etag)
    assert again.not_modified and again.body == b""
    assert web.requests[-1][1]["If-None-Match"] == '"v1"'


async def test_an_international_host_name_is_looked_up_in_its_ascii_form(
    web: WebServer, resolver
) -> None:
    resolver["xn--e1afmkfd.test"] = ["127.0.0.1"]  # пример.test
    port = web.server.server_address[1]
    web.route("/a.html", Route(page("article.html")))
    got = await fetch(f"http://пример.test:{port}/a.html", FetchPolicy())
    assert b"Varna" in got.body and web.requests[0][1]["Host"] == f"xn--e1afmkfd.test:{port}"

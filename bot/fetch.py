"""Fetching web pages for `add` and feeds, safely: network I/O is the app's edge, not the core's.

httpx rather than urllib: it is already installed with python-telegram-bot, it is async (a
slow site never blocks the bot's event loop), it has separate connect/read timeouts and
streaming (so the size limit holds before a body is read), and it lets each request go to
an address we resolved and checked ourselves while TLS still verifies the host name
(``sni_hostname``). Every hop of a redirect is resolved, checked and pinned again, so
neither a redirect nor DNS rebinding can reach a private address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

__all__ = ["FEED_TYPES", "HTML_TYPES", "FetchError", "FetchPolicy", "Page", "fetch"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/feed+json",
    "text/plain",  # some servers label feeds so; feedparser decides
    *HTML_TYPES,  # and some serve them as HTML
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """A URL that could not be fetched, with a one-line reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits of one fetch: addresses, size, time and redirects."""

    allow_private: bool = False  # knowledge.allow_private_hosts
    max_bytes: int = 1_000_000  # storage.max_upload_bytes
    connect_timeout: float = 5.0  # seconds
    read_timeout: float = 15.0  # seconds between two reads
    total_timeout: float = 30.0  # seconds for the whole fetch, redirects included
    max_redirects: int = 5
    user_agent: str = "ceasefire-talks-bot/0.1 (article fetcher)"


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched response: the final URL, every URL on the way, and the body."""

    url: str
    hops: tuple[str, ...]  # the URLs requested, the first one given and the final one included
    content_type: str
    body: bytes
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a conditional GET answered 304

    def text(self) -> str:
        """The body decoded with the declared charset (UTF-8 by default, never failing)."""
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset name
            return self.body.decode("utf-8", errors="replace")


def is_public(address: Address) -> bool:
    """True for an address on the public internet (not private, loopback, link-local, ...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def lookup(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (the system resolver, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


async def _resolve(url: str, host: str, port: int, policy: FetchPolicy) -> str:
    """The checked address to connect to for ``host``; every address it resolves to must pass."""
    try:
        found = await lookup(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve host {host}") from exc
    addresses = [ipaddress.ip_address(a.split("%")[0]) for a in found]
    if not addresses:
        raise FetchError(url, f"cannot resolve host {host}")
    if not policy.allow_private:
        for address in addresses:
            if not is_public(address):
                raise FetchError(url, f"refused: {host} is a private or reserved address")
    return str(addresses[0])


async def _request(
    client: httpx.AsyncClient, origin: str, url: str, policy: FetchPolicy, headers: dict
) -> httpx.Response:
    """GET ``url`` (a hop on the way from ``origin``) pinned to its checked address, streamed."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": a bracketed host urllib cannot parse
        raise FetchError(origin, "not a URL (its host cannot be read)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(origin, "only http:// and https:// URLs can be fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(origin, "invalid port") from exc
    try:
        host = parts.hostname.encode("idna").decode("ascii")  # an international name, as DNS has it
    except UnicodeError as exc:
        raise FetchError(origin, "invalid host name") from exc
    ip = await _resolve(origin, host, port, policy)
    pinned = httpx.URL(url).copy_with(host=ip)
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    request = client.build_request(
        "GET",
        pinned,
        headers={**headers, "Host": host_header},
        extensions={"sni_hostname": host} if parts.scheme == "https" else {},
    )
    return await client.send(request, stream=True)


async def _body(url: str, response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(url, f"too large: {int(declared):,} bytes (limit {limit:,})")
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(url, f"too large: over the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _mime(response: httpx.Response) -> tuple[str, str | None]:
    value = response.headers.get("content-type", "")
    mime = value.split(";")[0].strip().lower()
    return mime, response.charset_encoding


async def _follow(
    client: httpx.AsyncClient, url: str, policy: FetchPolicy, accept: tuple[str, ...], headers: dict
) -> Page:
    hops = [url]
    while True:
        response = await _request(client, url, hops[-1], policy, headers)
        try:
            location = response.headers.get("location")
            if response.status_code in REDIRECTS and location:
                target = urljoin(hops[-1], location)
                if target in hops:
                    raise FetchError(url, "redirect loop")
                if len(hops) > policy.max_redirects:
                    raise FetchError(url, f"more than {policy.max_redirects} redirects")
                hops.append(target)
                continue
            return await _page(url, hops, response, policy, accept)
        finally:
            await response.aclose()


async def _page(
    url: str, hops: list[str], response: httpx.Response, policy: FetchPolicy, accept: tuple
) -> Page:
    extra = {"etag": response.headers.get("etag"), "last_modified": None}
    extra["last_modified"] = response.headers.get("last-modified")
    if response.status_code == 304:
        return Page(hops[-1], tuple(hops), "", b"", None, **extra, not_modified=True)
    if response.status_code >= 400:
        raise FetchError(url, f"HTTP error {response.status_code} {response.reason_phrase}")
    mime, charset = _mime(response)
    if mime not in accept:
        kind = "an HTML page" if accept == HTML_TYPES else "a feed"
        raise FetchError(url, f"not {kind} (content type {mime or 'unknown'})")
    body = await _body(url, response, policy.max_bytes)
    return Page(hops[-1], tuple(hops), mime, body, charset, **extra)


async def fetch(
    url: str,
    policy: FetchPolicy,
    accept: tuple[str, ...] = HTML_TYPES,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Page:
    """GET ``url`` within ``policy``; ``etag``/``last_modified`` make it conditional.

    Raises:
        FetchError: the URL is refused or fails; its ``reason`` is one line for the user.
    """
    headers = {"User-Agent": policy.user_agent, "Accept": ", ".join(accept)}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
    try:
        async with (
            httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            asyncio.timeout(policy.total_timeout),
        ):
            return await _follow(client, url, policy, accept, headers)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise FetchError(url, "timed out") from exc
    except httpx.ConnectError as exc:  # refused, unreachable, or a name that does not resolve
        raise FetchError(url, f"cannot connect: {_detail(exc)}") from exc
    except (httpx.HTTPError, OSError) as exc:
        raise FetchError(url, f"cannot fetch: {_detail(exc)}") from exc


def _detail(exc: Exception) -> str:
    """One short line saying what went wrong ("All connection attempts failed")."""
    said = str(exc).strip().splitlines()
    if not said or not said[0]:
        return type(exc).__name__
    return said[0] if len(said[0]) <= 120 else said[0][:119] + "…"

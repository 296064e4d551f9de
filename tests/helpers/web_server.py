"""A small web server on 127.0.0.1:0 serving the test pages and feeds, with faults on demand.

``with WebServer() as web:`` then ``web.route("/a.html", Route(body))`` and fetch
``web.url("/a.html")``. A ``Route`` can redirect, fail, hold its answer until the test ends
(a slow server without sleeping), or answer a conditional GET with 304.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parent.parent / "data" / "web"
# article.html: its title, and a question only that article answers
ARTICLE_TITLE = "Black Sea talks agree grain ship inspections"
ARTICLE_QUESTION = "Who will inspect grain vessels leaving Odesa?"


def page(name: str) -> bytes:
    """The bytes of a fixture page in ``tests/data/web``."""
    return (PAGES / name).read_bytes()


@dataclass
class Route:
    """How the server answers one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # sent as ETag; a request with If-None-Match equal to it gets 304
    slow: bool = False  # answer only when the server closes (the client must time out first)
    unsized: bool = False  # no Content-Length: the body ends when the connection closes


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    web: WebServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self.web.requests.append((self.path, dict(self.headers)))
        route = self.web.routes.get(self.path) or Route(b"not found", 404, "text/plain")
        if route.slow:
            self.web.closing.wait(timeout=30)
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self.send_response(304)
            self.send_header("ETag", route.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.unsized:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(route.body)))
        for name, value in ({"ETag": route.etag} if route.etag else {}).items():
            self.send_header(name, value)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True


class WebServer:
    """The server, its routes, and the requests it saw (path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.closing = threading.Event()
        handler = type("Handler", (_Handler,), {"web": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> WebServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def route(self, path: str, route: Route) -> str:
        """Serve ``route`` at ``path``; returns its URL."""
        self.routes[path] = route
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        """Serve a redirect from ``path`` to ``to`` (a path or URL); returns its URL."""
        return self.route(path, Route(b"", status, "text/plain", {"Location": to}))

    def hits(self, path: str) -> int:
        """How many requests ``path`` received."""
        return sum(1 for p, _ in self.requests if p == path)

    def requests_to(self, path: str) -> list[dict[str, str]]:
        """The headers of each request ``path`` received, in order."""
        return [headers for p, headers in self.requests if p == path]

"""The fake Bot API's HTTP side: request bodies as PTB sends them, routes by token."""

from __future__ import annotations

import email.parser
import email.policy
import json
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.helpers.fake_bot_api import FakeBotApi

JSON_FIELDS = {
    "reply_markup",
    "results",
    "commands",
    "scope",
    "link_preview_options",
    "reply_parameters",
    "entities",
    "allowed_updates",
    "button",
}


def parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], dict]:
    """Form, multipart or JSON request body -> (params, files), JSON fields decoded."""
    params: dict[str, Any] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if content_type.startswith("application/json"):
        return (json.loads(body) if body else {}), files
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = (part.get_filename(), payload)
            else:
                params[name] = payload.decode("utf-8")
    else:
        params = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        params[key] = json.loads(params[key])
    return params, files


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: with Nagle on, the client's delayed ACK holds the
    # body back ~40 ms per reply, a cost of this fake server that timing would pin on the bot
    disable_nagle_algorithm = True
    api: FakeBotApi

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (long poll cancelled)
            self.close_connection = True

    def _route(self) -> str | None:
        prefix = f"/bot{self.api.token}/"
        path = urllib.parse.unquote(self.path)
        if not path.startswith("/bot"):  # not the Bot API at all, e.g. a mistyped base_url
            self._reply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
            return None
        if not path.startswith(prefix):
            self._reply(401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}')
            return None
        return path[len(prefix) :].split("?")[0]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        method = self._route()
        if method is None:
            return
        params, files = parse_body(self.headers.get("Content-Type", ""), body)
        status, reply = self.api.handle(method, params, files)
        if status >= 500:
            page = f"<html><body><h1>{status} Bad Gateway</h1></body></html>".encode()
            self._reply(status, page, "text/html")
        else:
            self._reply(status, json.dumps(reply).encode())

    def do_GET(self) -> None:
        prefix = f"/file/bot{self.api.token}/"
        path = urllib.parse.unquote(self.path)
        if path.startswith(prefix):
            wanted = path[len(prefix) :]
            for path, content in self.api.files.values():
                if path == wanted:
                    self._reply(200, content, "application/octet-stream")
                    return
            self._reply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
            return
        method = self._route()
        if method is not None:
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            status, reply = self.api.handle(method, query, {})
            self._reply(status, json.dumps(reply).encode())

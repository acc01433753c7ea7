"""A small threaded HTTP server for the doors' endpoints (Slack's requests, Telegram's webhook).

TLS is left to the reverse proxy in front of it; each request is handled on its own thread,
and a handler answers only after its work is durable, so the platform retries what failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes; Slack and Telegram send far less


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)


Route = Callable[[HttpRequest], HttpResponse]


def _handler_class(routes: Mapping[str, Route]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            route = routes.get(parts.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._write(HttpResponse(413, b"too large"))
                return
            body = self.rfile.read(length) if length else b""
            if route is None:
                self._write(HttpResponse(404, b"not found"))
                return
            request = HttpRequest(method=method, path=parts.path, query=parts.query,
                                  headers={k.lower(): v for k, v in self.headers.items()},
                                  body=body)
            try:
                response = route(request)
            except Exception:
                log.exception("HTTP handler for %s failed", parts.path)
                response = HttpResponse(500, b"error")
            self._write(response)

        def _write(self, response: HttpResponse) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)

        def do_POST(self) -> None:  # noqa: N802 (the http.server naming)
            self._serve("POST")

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def log_message(self, format: str, *args: object) -> None:
            log.debug("%s " + format, self.address_string(), *args)

    return Handler


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse(200, b"ok")


class HttpServer:
    """Serves `routes` (path -> handler) on host:port from a background thread."""

    def __init__(self, host: str, port: int, routes: Mapping[str, Route]) -> None:
        self._server = ThreadingHTTPServer((host, port), _handler_class(
            {"/healthz": health, **routes}))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,),
                                        name="http", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

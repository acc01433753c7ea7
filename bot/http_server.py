"""The doors' HTTP endpoint (Slack's requests, Telegram's webhook, /healthz, /metrics), served
by uvicorn with limits a hostile client cannot get around.

- Framing is h11's: a bad or negative Content-Length, a malformed request line or oversized
  headers get 400 and the connection is closed.
- A client gets `header_timeout` seconds to send its request line and headers and
  `body_timeout` seconds for its body; a slower one is cut off (408 for the body).
- A body over `max_body` bytes gets 413 before any of it is read (by its Content-Length)
  or as soon as the chunks pass the limit.
- At most `connections` connections are open at once (the next ones get 503), and at most
  `workers` handlers run at once, on a pool of threads; a slow client holds no thread,
  since the handler only starts once its whole body is in.
- A handler answers after its work is durable (committed), so the platform retries what
  failed. TLS is left to the reverse proxy in front of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

ASGIReceive = Callable[[], Any]
ASGISend = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Limits:
    """What one client may take from the server; the defaults suit Slack and Telegram."""

    max_body: int = 1_000_000  # bytes; Slack and Telegram send far less
    header_timeout: float = 10.0  # seconds for the request line and headers
    body_timeout: float = 10.0  # seconds for the whole body
    keep_alive: int = 5  # seconds an idle kept-alive connection stays open
    connections: int = 500  # open connections at once; more get 503
    workers: int = 16  # handlers running at once


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    client: str = ""  # the peer's address


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)


Route = Callable[[HttpRequest], HttpResponse]


class _TooLarge(Exception):
    pass


class _Gone(Exception):
    pass


def _protocol(header_timeout: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a deadline for each request's line and headers."""

    class DeadlineProtocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(header_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if not self.transport.is_closing():
                log.info("closing a connection that sent no complete request in %.0f s",
                         header_timeout)
                self.transport.close()

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)  # type: ignore[arg-type]
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:  # the headers are in
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self._arm()  # the next request on a kept-alive connection

    return DeadlineProtocol


class _Application:
    """The ASGI side: route by path, read the body within the limits, run the handler on
    the worker pool and answer with what it returns."""

    def __init__(self, routes: Mapping[str, Route], limits: Limits,
                 workers: ThreadPoolExecutor) -> None:
        self.routes = routes
        self.limits = limits
        self.workers = workers

    async def __call__(self, scope: dict[str, Any], receive: ASGIReceive,
                       send: ASGISend) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope["headers"]}
        declared = headers.get("content-length")
        if declared is not None and int(declared) > self.limits.max_body:
            await _answer(send, HttpResponse(413, b"too large"), close=True)
            return
        route = self.routes.get(scope["path"])
        if route is None:
            await _answer(send, HttpResponse(404, b"not found"), close=True)
            return
        try:
            async with asyncio.timeout(self.limits.body_timeout):
                body = await self._body(receive)
        except _TooLarge:
            await _answer(send, HttpResponse(413, b"too large"), close=True)
            return
        except TimeoutError:
            await _answer(send, HttpResponse(408, b"body too slow"), close=True)
            return
        except _Gone:
            return
        request = HttpRequest(method=scope["method"], path=scope["path"],
                              query=scope["query_string"].decode("latin-1"), headers=headers,
                              body=body, client=(scope.get("client") or ("",))[0])
        loop = asyncio.get_running_loop()
        try:
            response = await loop.run_in_executor(self.workers, route, request)
        except Exception:
            log.exception("HTTP handler for %s failed", scope["path"])
            response = HttpResponse(500, b"error")
        await _answer(send, response)

    async def _body(self, receive: ASGIReceive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Gone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limits.max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _answer(send: ASGISend, response: HttpResponse, *, close: bool = False) -> None:
    headers = [(b"content-type", response.content_type.encode("latin-1")),
               (b"content-length", str(len(response.body)).encode("ascii"))]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1"))
                for k, v in response.headers.items()]
    if close:  # the rest of the request was not read: the connection cannot be reused
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


class HttpServer:
    """Serves `routes` (path -> handler) on host:port from a background thread."""

    def __init__(self, host: str, port: int, routes: Mapping[str, Route],
                 limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))  # here, so a port in use fails the start at once
        self._workers = ThreadPoolExecutor(max_workers=self.limits.workers,
                                           thread_name_prefix="http")
        config = uvicorn.Config(
            _Application(routes, self.limits, self._workers), loop="asyncio",
            http=_protocol(self.limits.header_timeout), lifespan="off", ws="none",
            interface="asgi3", limit_concurrency=self.limits.connections,
            timeout_keep_alive=self.limits.keep_alive, timeout_graceful_shutdown=5,
            access_log=False, log_config=None, server_header=False, date_header=True,
            h11_max_incomplete_event_size=16 * 1024,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    def start(self) -> None:
        self._socket.listen(1024)
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._socket]}, name="http",
                                        daemon=True)
        self._thread.start()
        deadline = threading.Event()
        while not self._server.started and self._thread.is_alive():
            deadline.wait(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(30)
        self._workers.shutdown(wait=False, cancel_futures=True)
        with contextlib.suppress(OSError):
            self._socket.close()

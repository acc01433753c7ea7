"""The doors' HTTP endpoint against hostile clients: bad framing, oversized bodies, slow
clients by the hundred; it binds to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from bot.app import App
from bot.http_server import HttpRequest, HttpResponse, HttpServer, Limits
from tests.doors.slack_fake import SlackApi, sign
from tests.doors.test_slack import _harness

WAIT = 20.0  # seconds; an upper bound for something that must happen, never a delay
LIMITS = Limits(max_body=10_000, header_timeout=1.0, body_timeout=1.0, connections=1000,
                workers=4)


def _echo(request: HttpRequest) -> HttpResponse:
    return HttpResponse(200, b"got %d bytes" % len(request.body))


@pytest.fixture
def server() -> Iterator[HttpServer]:
    served = HttpServer("127.0.0.1", 0, {"/echo": _echo}, LIMITS)
    served.start()
    yield served
    served.stop()


def _connect(server: HttpServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)


def _exchange(server: HttpServer, raw: bytes) -> bytes:
    """Send raw bytes; read until the server closes or a whole response is in."""
    with _connect(server) as conn:
        conn.sendall(raw)
        return _read_response(conn)


def _read_response(conn: socket.socket) -> bytes:
    data = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        if _:
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), None)
            if length is not None and len(body) >= length:
                return data


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response else 0


def _closed_by_server(conn: socket.socket) -> bool:
    """True when the server closed the connection (within WAIT)."""
    try:
        return conn.recv(1024) == b""
    except ConnectionResetError:
        return True


def test_a_good_request_is_answered(server: HttpServer) -> None:
    answer = _exchange(server, b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
    assert _status(answer) == 200 and answer.endswith(b"got 5 bytes")


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1.5", b"5, 6"])
def test_a_bad_content_length_gets_400(server: HttpServer, length: bytes) -> None:
    answer = _exchange(server, b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + length
                       + b"\r\n\r\nhello")
    assert _status(answer) == 400


@pytest.mark.parametrize("raw", [
    b"NONSENSE\r\n\r\n",
    b"POST /echo HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"POST /echo HTTP/1.1\r\nHost: x\r\nX-Endless: " + b"a" * 40_000,  # headers never end
])
def test_malformed_framing_gets_400(server: HttpServer, raw: bytes) -> None:
    assert _status(_exchange(server, raw)) == 400


def test_a_body_declared_too_large_gets_413_before_it_is_sent(server: HttpServer) -> None:
    with _connect(server) as conn:
        conn.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n")
        assert _status(_read_response(conn)) == 413


def test_a_chunked_body_growing_too_large_gets_413(server: HttpServer) -> None:
    chunk = b"%x\r\n%s\r\n" % (4000, b"a" * 4000)
    answer = _exchange(server, b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                       b"\r\n\r\n" + chunk * 3 + b"0\r\n\r\n")
    assert _status(answer) == 413


def test_a_client_that_never_finishes_its_headers_is_cut_off(server: HttpServer) -> None:
    with _connect(server) as conn:
        conn.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert _closed_by_server(conn)
        assert time.monotonic() - started < LIMITS.header_timeout + 5


def test_a_client_that_trickles_its_headers_is_cut_off(server: HttpServer) -> None:
    with _connect(server) as conn:
        started = time.monotonic()
        try:
            for _ in range(int((LIMITS.header_timeout + 5) / 0.2)):
                conn.sendall(b"X-A: b\r\n" if _ else b"POST /echo HTTP/1.1\r\n")
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert _closed_by_server(conn)
        assert time.monotonic() - started < LIMITS.header_timeout + 5


def test_a_client_that_never_finishes_its_body_gets_408(server: HttpServer) -> None:
    with _connect(server) as conn:
        conn.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        assert _status(_read_response(conn)) == 408


# The slow clients below hold their connections for PATIENT seconds: long enough that a good
# client answered in time was not waiting for them, even on a busy machine.
PATIENT = Limits(max_body=10_000, header_timeout=4.0, body_timeout=4.0, connections=1000,
                 workers=4)


def test_hundreds_of_slow_clients_hold_no_threads_and_do_not_block_others() -> None:
    server = HttpServer("127.0.0.1", 0, {"/echo": _echo}, PATIENT)
    server.start()
    threads_before = threading.active_count()
    with ExitStack() as stack:
        stack.callback(server.stop)
        for _ in range(300):
            conn = stack.enter_context(_connect(server))
            conn.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        started = time.monotonic()
        answer = _exchange(server, b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        waited = time.monotonic() - started
        assert _status(answer) == 200
        assert waited < PATIENT.body_timeout, "a good client waited for the slow ones"
        assert threading.active_count() - threads_before <= PATIENT.workers


def test_connections_over_the_limit_are_refused_with_503() -> None:
    served = HttpServer("127.0.0.1", 0, {"/echo": _echo},
                        dataclasses.replace(LIMITS, connections=20, header_timeout=WAIT))
    served.start()
    try:
        with ExitStack() as stack:
            for _ in range(25):
                stack.enter_context(_connect(served)).sendall(b"GET /echo HTTP/1.1\r\n")
            answer = _exchange(served, b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _status(answer) == 503
        assert _status(_exchange(served, b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")) == 200
    finally:
        served.stop()


def test_the_answer_waits_for_the_handler_to_finish() -> None:
    finished = threading.Event()

    def slow(request: HttpRequest) -> HttpResponse:
        time.sleep(0.3)
        finished.set()
        return HttpResponse(200, b"done")

    served = HttpServer("127.0.0.1", 0, {"/slow": slow}, LIMITS)
    served.start()
    try:
        answer = _exchange(served, b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert _status(answer) == 200 and finished.is_set()
    finally:
        served.stop()


def test_unknown_paths_get_404(server: HttpServer) -> None:
    assert _status(_exchange(server, b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")) == 404


# --------------------------------------------------------------------------- the Slack door


def _slack_http(app: App, api: SlackApi) -> Iterator[tuple[int, App]]:
    app.runtime = dataclasses.replace(app.runtime, slack_http_port=0)
    harness = _harness(app, api)
    harness.door.start()
    try:
        assert harness.door.server is not None
        yield harness.door.server.port, app
    finally:
        harness.door.stop()
        harness.work.shutdown(wait=True)


@pytest.fixture
def slack_port(app: App, slack_api: SlackApi) -> Iterator[int]:
    for port, _ in _slack_http(app, slack_api):
        yield port


def test_the_slack_door_listens_on_127_0_0_1_by_default(app: App, slack_api: SlackApi) -> None:
    app.runtime = dataclasses.replace(app.runtime, slack_http_port=0)
    harness = _harness(app, slack_api)
    harness.door.start()
    try:
        assert harness.door.server is not None
        assert harness.door.server._socket.getsockname()[0] == "127.0.0.1"
    finally:
        harness.door.stop()
        harness.work.shutdown(wait=True)


def _post(port: int, body: str, headers: dict[str, str]) -> int:
    lines = ["POST /slack/events HTTP/1.1", "Host: x", f"Content-Length: {len(body.encode())}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body.encode()
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as conn:
        conn.sendall(raw)
        return _status(_read_response(conn))


@pytest.mark.parametrize("body, content_type", [
    ('{"type": "event_callback", "event": ', "application/json"),
    ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
])
def test_a_signed_slack_request_with_malformed_json_gets_400(slack_port: int, body: str,
                                                             content_type: str) -> None:
    assert _post(slack_port, body, sign(body, content_type=content_type)) == 400


def test_the_health_check_answers_on_the_slack_port(slack_port: int) -> None:
    with socket.create_connection(("127.0.0.1", slack_port), timeout=WAIT) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = _read_response(conn)
    assert _status(answer) == 200
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["database"] == "ok"

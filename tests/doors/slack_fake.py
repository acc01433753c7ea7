"""An offline Slack: a Web API server on 127.0.0.1 that records calls, and signed requests."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
WAIT = 20.0  # seconds; an upper bound for something that should happen, never a delay


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when the call came in


class SlackApi:
    """Answers like Slack's Web API; `fail_next` answers 429 `ratelimited` with Retry-After,
    `unreachable` makes posts to a channel fail with not_in_channel, `hold` keeps
    chat.postMessage waiting until `release`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._floods: dict[str, list[int]] = {}
        self._unreachable: set[str] = set()
        self._gate = threading.Event()
        self._gate.set()
        self._ts = itertools.count(1)
        self.files: dict[str, tuple[str, bytes]] = {}  # file id -> (name, bytes) to share
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.handle_error = lambda *_: None  # type: ignore[method-assign]  # a killed client
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._gate.set()
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------------ controls

    def fail_next(self, method: str, retry_after: int) -> None:
        self._floods.setdefault(method, []).append(retry_after)

    def unreachable(self, channel: str) -> None:
        self._unreachable.add(channel)

    def hold(self) -> None:
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def of(self, method: str) -> list[dict[str, Any]]:
        with self._changed:
            return [c.params for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1) -> list[dict[str, Any]]:
        with self._changed:
            done = self._changed.wait_for(
                lambda: len([c for c in self.calls if c.method == method]) >= count, WAIT)
        assert done, f"{method} was called {len(self.of(method))} times, expected {count}"
        return self.of(method)

    # ------------------------------------------------------------------ serving

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, str],
                                                                     dict[str, Any]]:
        floods = self._floods.get(method)
        if floods:
            wait = floods.pop(0)
            return 429, {"Retry-After": str(wait)}, {"ok": False, "error": "ratelimited"}
        channel = str(params.get("channel", ""))
        if method.startswith("chat.") and channel in self._unreachable:
            return 200, {}, {"ok": False, "error": "not_in_channel"}
        if method == "chat.postMessage":
            self._gate.wait(WAIT)
        ts = f"1795000000.{next(self._ts):06d}"
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {"ok": True, "url": "https://acme.slack.test/", "team": "Acme",
                          "user": "ltcbot", "team_id": "T1", "user_id": "UBOT",
                          "bot_id": "BBOT"},
            "chat.postMessage": {"ok": True, "channel": channel, "ts": ts,
                                 "message": {"text": params.get("text"), "ts": ts}},
            "chat.postEphemeral": {"ok": True, "message_ts": ts},
            "chat.update": {"ok": True, "channel": channel, "ts": params.get("ts"),
                            "text": params.get("text")},
            "views.open": {"ok": True, "view": {"id": "V1", "hash": "h1"}},
            "conversations.open": {"ok": True, "channel": {"id": f"D{params.get('users')}"}},
            "files.getUploadURLExternal": {
                "ok": True, "file_id": f"F{params.get('filename')}",
                "upload_url": self.url.replace("/api/", f"/upload/F{params.get('filename')}")},
            "files.completeUploadExternal": {"ok": True, "files": [
                {"id": f["id"], "title": f.get("title")}
                for f in _listed(params.get("files"))]},
        }
        if method == "files.info":
            file_id = str(params.get("file"))
            if file_id not in self.files:
                return 200, {}, {"ok": False, "error": "file_not_found"}
            name, data = self.files[file_id]
            return 200, {}, {"ok": True, "file": {
                "id": file_id, "name": name, "size": len(data),
                "url_private": self.url.replace("/api/", f"/private/{file_id}/{name}")}}
        return 200, {}, answers.get(method, {"ok": True})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                method = self.path.rsplit("/", 1)[-1]
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # the client died mid-request: nothing was accepted
                    return
                if self.path.startswith("/upload/"):  # a file's bytes, sent to its upload URL
                    params: dict[str, Any] = {"file_id": method, "data": raw}
                    method = "upload"
                elif "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or b"{}")
                else:
                    params = dict(parse_qsl(raw.decode()))
                for key in ("blocks", "view"):
                    if isinstance(params.get(key), str):
                        params[key] = json.loads(params[key])
                with api._changed:
                    api.calls.append(Call(method, params))
                    api._changed.notify_all()
                status, headers, body = api._answer(method, params)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                """A shared file's private URL: its bytes, for the bot's token only."""
                parts = self.path.split("/")
                found = api.files.get(parts[2]) if len(parts) > 3 else None
                authorised = (self.headers.get("Authorization") or "").startswith("Bearer ")
                with api._changed:
                    api.calls.append(Call("download", {"path": self.path,
                                                       "authorised": authorised}))
                    api._changed.notify_all()
                if found is None or not authorised:
                    self.send_response(404 if found is None else 403)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(found[1])))
                self.end_headers()
                self.wfile.write(found[1])

            def log_message(self, format: str, *args: object) -> None:
                return None

        return Handler


class TrackedExecutor(ThreadPoolExecutor):
    """Bolt's worker pool, with a way to wait until every piece of work handed to it ended."""

    def __init__(self) -> None:
        super().__init__(max_workers=4)
        self.futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self.futures.append(future)
        return future

    def settle(self) -> None:
        """Wait for all submitted work, including work submitted while waiting."""
        while True:
            with self._lock:
                pending = [f for f in self.futures if not f.done()]
            if not pending:
                return
            for future in pending:
                future.result(WAIT)


def _listed(value: Any) -> list[dict[str, Any]]:
    """A list parameter, sent as JSON text in a form or as a list in a JSON body."""
    found = json.loads(value) if isinstance(value, str) else value
    return list(found or [])


def sign(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None,
         content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    """The headers Slack sends with a request: timestamp and v0 signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {"content-type": content_type, "x-slack-request-timestamp": ts,
            "x-slack-signature": signature}


def slash(text: str, *, user: str, channel: str = "C1SALES", trigger: str = "trig-1") -> str:
    return urlencode({"token": "legacy", "team_id": "T1", "channel_id": channel,
                      "user_id": user, "user_name": user.lower(), "command": "/ltc",
                      "text": text, "trigger_id": trigger,
                      "response_url": "https://hooks.slack.test/commands/1"})


def interaction(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def button(command: str, *, user: str, channel: str = "C1SALES", action_ts: str = "1.1",
           message_ts: str = "1795000000.000777") -> str:
    return interaction({
        "type": "block_actions", "team": {"id": "T1"}, "user": {"id": user},
        "api_app_id": "A1", "trigger_id": f"trig-{action_ts}",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel,
                      "is_ephemeral": False},
        "channel": {"id": channel}, "message": {"ts": message_ts, "text": "card"},
        "actions": [{"type": "button", "action_id": "ltc:0:0", "block_id": "ltc_row_0",
                     "value": command, "action_ts": action_ts}],
    })


def quote_submission(*, user: str, deal: str, lines: str, discount: str = "",
                     channel: str = "C1SALES") -> str:
    def value(text: str) -> dict[str, Any]:
        return {"type": "plain_text_input", "value": text or None}

    return interaction({
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": user},
        "api_app_id": "A1", "trigger_id": "trig-view",
        "view": {"id": "V1", "hash": "h1", "type": "modal", "callback_id": "ltc_quote",
                 "private_metadata": json.dumps({"channel": channel}),
                 "state": {"values": {"deal": {"deal": value(deal)},
                                      "lines": {"lines": value(lines)},
                                      "discount": {"discount": value(discount)}}}},
    })


def event(inner: dict[str, Any], *, event_id: str) -> str:
    return json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1",
                       "type": "event_callback", "event_id": event_id,
                       "event_time": int(time.time()), "event": inner})

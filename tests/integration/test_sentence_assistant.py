"""The optional assistant, driven against a local stand-in chat-completions server: its
proposal becomes the draft (checked like any other), and every failure (no answer in time, an
error, not JSON, a refusal, a command a sentence may not mean, a record the reader may not see)
leaves the sentence to the local reading. Nothing is written before Confirm either way."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.runtime import Runtime
from domain.settings import Settings
from domain.users import Role, add_user
from handlers.reply import Reply
from storage.tables import deals
from tests.hardening.world import watching
from tests.support import FakeClock, say


class StandIn:
    """A chat-completions endpoint on 127.0.0.1 that answers what the test tells it to."""

    def __init__(self) -> None:
        self.content: str | None = '{"command": null}'
        self.status = 200
        self.delay = 0.0
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.requests.append((dict(self.headers), body))
                time.sleep(stand_in.delay)
                answer = json.dumps({"choices": [{"message": {
                    "role": "assistant", "content": stand_in.content}}]}).encode()
                self.send_response(stand_in.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/chat/completions"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, command: str | None) -> None:
        self.content = json.dumps({"command": command})


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    server = StandIn()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def helped(settings: Settings, runtime: Runtime, clock: FakeClock, stand_in: StandIn,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The application with the stand-in as its assistant; rep has Acme (A-1, D-1), rep2 has
    Hidden Co (D-2)."""
    monkeypatch.setenv("LTC_ASSISTANT_KEY", "sk-test-123")
    application = build_app(settings, replace(runtime, assistant_url=stand_in.url,
                                              assistant_model="qwen", assistant_timeout=0.5),
                            clock, run_migrations=False)
    with application.uow() as uow:
        uow.action = "test setup"
        for username in ("rep", "rep2"):
            add_user(uow, username, Role.REP, clock(), team="east", locale="en",
                     timezone="Asia/Shanghai")
        uow.commit()
    stand_in.answer(None)
    for user, text in [("rep", "/lead Acme contact=Wile"), ("rep", "/qualify L-1 amount=5k"),
                       ("rep2", "/lead Hidden Co"), ("rep2", "/qualify L-2 amount=5k")]:
        assert say(application, user, text).ok
    yield application
    application.close()


def _confirm(reply: Reply) -> str:
    row = reply.buttons[0]
    assert [b.label for b in row] == ["Confirm", "Edit", "Cancel"], reply.text
    return row[0].command


def test_the_assistants_proposal_becomes_the_draft(helped: App, stand_in: StandIn) -> None:
    stand_in.answer("/won D-1")
    with watching(helped.engine) as writes:
        reply = say(helped, "rep", "the acme thing is done, they took it")
        assert writes.take() == []
    assert _confirm(reply) == "/won D-1"
    headers, body = stand_in.requests[-1]
    assert headers["Authorization"] == "Bearer sk-test-123"
    assert body["model"] == "qwen"
    user_message = body["messages"][1]["content"]
    assert "the acme thing is done" in user_message and "A-1: Acme" in user_message
    assert "Hidden" not in user_message  # only records the reader may see are offered


def test_an_answer_inside_a_code_fence_is_read(helped: App, stand_in: StandIn) -> None:
    stand_in.content = 'Sure:\n```json\n{"command": "/stage D-1 proposal"}\n```'
    assert _confirm(say(helped, "rep", "acme goes to the next step")) == "/stage D-1 proposal"


@pytest.mark.parametrize("failure", ["slow", "error", "not json", "refusal", "unknown command",
                                     "not a sentence's command", "hidden record", "bad grammar"])
def test_every_failure_falls_back_to_the_local_reading(helped: App, stand_in: StandIn,
                                                        failure: str) -> None:
    if failure == "slow":
        stand_in.answer("/won D-1")
        stand_in.delay = 1.5
    elif failure == "error":
        stand_in.status = 500
    elif failure == "not json":
        stand_in.content = "I think they meant to log a call."
    elif failure == "refusal":
        stand_in.answer(None)
    elif failure == "unknown command":
        stand_in.answer("/frobnicate D-1")
    elif failure == "not a sentence's command":
        stand_in.answer("/users deactivate rep2")
    elif failure == "hidden record":
        stand_in.answer("/won D-2")
    else:
        stand_in.answer('/won D-1 reason="unbalanced')
    with watching(helped.engine) as writes:
        reply = say(helped, "rep", "called acme, they want a demo tomorrow")
        assert writes.take() == []
    assert _confirm(reply) == "/log D-1 call called acme, they want a demo tomorrow " \
                              "next=2026-11-24"
    assert stand_in.requests, "the assistant was asked first"


def test_a_stopped_assistant_falls_back_too(helped: App, stand_in: StandIn) -> None:
    stand_in.server.shutdown()
    stand_in.server.server_close()
    assert _confirm(say(helped, "rep", "acme signed")) == "/won D-1"


def test_confirming_the_assistants_draft_runs_the_command(helped: App,
                                                          stand_in: StandIn) -> None:
    stand_in.answer("/won D-1")
    command = _confirm(say(helped, "rep", "the acme thing is done, they took it"))
    with helped.engine.connect() as conn:
        assert conn.execute(select(deals.c.status)).scalars().all() == ["open", "open"]
    assert say(helped, "rep", command).ok
    with helped.engine.connect() as conn:
        assert conn.execute(select(deals.c.status).order_by(deals.c.id)).scalars().all() == \
            ["won", "open"]

"""POST /intake/lead on the real HTTP server: the token, JSON and form posts, the checks of
/lead, idempotence by external_id, the rate limit, and the assignee told at once."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.http_server import HttpServer
from bot.intake import PATH, RateLimit, intake_routes
from domain.settings import Assignment, Scoring, Settings
from storage.tables import leads, outbox

TOKEN = "s3cret-intake"


@pytest.fixture
def settings() -> Settings:
    return Settings(company_name="Test Co", scoring=Scoring(sources={"website": 10}, phone=10),
                    assignment=Assignment(round_robin=True, intake_team="east"))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Clock:
    return Clock()


@pytest.fixture
def server(app: App, ticks: Clock) -> Iterator[HttpServer]:
    served = HttpServer("127.0.0.1", 0, intake_routes(app, TOKEN,
                                                      RateLimit(rate=6, burst=3, clock=ticks)))
    served.start()
    yield served
    served.stop()


def post(server: HttpServer, body: bytes, *, token: str = TOKEN,
         kind: str = "application/json") -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{PATH}", data=body,
                                     method="POST", headers={"Content-Type": kind,
                                                             "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def _leads(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(leads)).scalar_one())


def test_a_json_post_creates_a_scored_lead_given_in_turn(app: App, server: HttpServer) -> None:
    status, body = post(server, json.dumps({"company": "Acme", "name": "Li",
                                            "phone": "13800000000"}).encode())
    assert status == 201 and body["lead"] == "L-1" and body["score"] == 20
    assert body["owner"] == "rep"
    status, body = post(server, json.dumps({"公司": "Globex"}).encode())
    assert status == 201 and body["owner"] == "rep2"
    with app.engine.connect() as conn:
        told = conn.execute(select(outbox.c.key, outbox.c.recipient)).all()
    assert [key for key, _ in told] == ["notify.lead_assigned"] * 2


def test_a_form_post_works_as_form_builders_send_it(app: App, server: HttpServer) -> None:
    form = urllib.parse.urlencode({"company": "表单公司", "email": "a@b.cn",
                                   "message": "please call"}).encode()
    status, body = post(server, form, kind="application/x-www-form-urlencoded")
    assert status == 201
    with app.engine.connect() as conn:
        row = conn.execute(select(leads.c.company, leads.c.email, leads.c.note,
                                  leads.c.source)).one()
    assert tuple(row) == ("表单公司", "a@b.cn", "please call", "website")


def test_a_wrong_token_is_refused_and_writes_nothing(app: App, server: HttpServer) -> None:
    status, _ = post(server, b'{"company": "Acme"}', token="guess")
    assert status == 401 and _leads(app) == 0


def test_bad_fields_are_refused_as_lead_refuses_them(app: App, server: HttpServer) -> None:
    status, body = post(server, b'{"company": "Acme", "phone": "call me"}')
    assert status == 422 and body["error"] == "contact.bad_phone"
    status, body = post(server, b'{"phone": "13800000000"}')
    assert status == 422 and body["error"] == "lead.no_company"
    assert post(server, b"[1, 2]")[0] == 400
    assert _leads(app) == 0


def test_the_same_external_id_creates_one_lead(app: App, server: HttpServer) -> None:
    body = b'{"company": "Acme", "external_id": "form-77"}'
    first = post(server, body)
    results: list[tuple[int, dict[str, Any]]] = []
    threads = [threading.Thread(target=lambda: results.append(post(server, body)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert first[0] == 201
    assert [r[1]["lead"] for r in results] == ["L-1", "L-1"]
    assert all(r[1].get("duplicate") for r in results) and _leads(app) == 1


def test_a_client_posting_too_fast_is_slowed_down(app: App, server: HttpServer,
                                                  ticks: Clock) -> None:
    statuses = [post(server, json.dumps({"company": f"Co {n}"}).encode())[0] for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    ticks.now += 10  # a lead a ten seconds comes back
    assert post(server, b'{"company": "Later"}')[0] == 201
    assert _leads(app) == 4


def test_without_a_token_there_is_no_intake(app: App) -> None:
    assert intake_routes(app, "") == {}

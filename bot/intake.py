"""`POST /intake/lead`: website forms and form builders create leads.

The body is JSON or form-encoded, with fields named as a spreadsheet's columns may be
(`company`/`公司`, `contact`, `phone`, `email`, `source`, `note`, `amount`, `region`,
`external_id`). The caller proves itself with the token in `LTC_INTAKE_TOKEN` (header
`Authorization: Bearer <token>` or `X-Intake-Token`, compared in constant time). Each client
may post `RATE` leads a minute (a burst of `BURST`); more get 429. A post with an
`external_id` already on file answers with that lead and creates nothing, so a form builder
that retries is harmless. The lead is checked as `/lead` checks it, scored, compared with the
leads and customers on file, and given out by `[leads.assignment]`; its owner is told at once.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy.exc import IntegrityError

from bot.app import App
from bot.http_server import HttpRequest, HttpResponse, Route
from domain.errors import DomainError
from domain.imports import HEADERS, folded
from domain.leads import NewLead, checked_lead, find_similar, take_in_lead
from domain.model.users import Role, User
from domain.notifications import queue_notifications
from domain.routing import Router
from handlers.amounts import parse_amount
from handlers.i18n import Translator

log = logging.getLogger(__name__)

PATH = "/intake/lead"
TOKEN_VARIABLE = "LTC_INTAKE_TOKEN"
RATE = 30  # leads a minute per client
BURST = 10
FIELDS = ("company", "contact", "phone", "email", "source", "note", "amount", "region",
          "external_id")
_NAMES = {folded(alias): name for name in FIELDS for alias in HEADERS[name]}
_NAMES |= {"name": "contact", "message": "note", "comments": "note", "mobile": "phone",
           "externalid": "external_id", "formid": "external_id", "company": "company"}


class RateLimit:
    """A token bucket per client: `rate` a minute, `burst` at once."""

    def __init__(self, rate: int = RATE, burst: int = BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate / 60.0, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if len(self._buckets) > 10_000:  # forget idle clients rather than grow forever
                self._buckets.clear()
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return False
            self._buckets[client] = (tokens - 1, now)
            return True


def _answer(status: int, body: Mapping[str, Any]) -> HttpResponse:
    return HttpResponse(status, json.dumps(body, ensure_ascii=False).encode("utf-8"),
                        "application/json; charset=utf-8")


def _fields(request: HttpRequest) -> dict[str, str]:
    """The posted fields by their names here; unknown fields are left out."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text = request.body.decode("utf-8")
    raw: Mapping[str, Any]
    if kind == "application/json" or text.lstrip().startswith("{"):
        loaded = json.loads(text or "{}")
        if not isinstance(loaded, dict):
            raise ValueError("not an object")
        raw = loaded
    else:
        raw = dict(parse_qsl(text, keep_blank_values=False))
    found: dict[str, str] = {}
    for key, value in raw.items():
        name = _NAMES.get(folded(str(key)))
        if name is not None and value is not None and name not in found:
            found[name] = str(value).strip()
    return found


def _given(request: HttpRequest) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-intake-token", "").strip()


def _client(request: HttpRequest) -> str:
    forwarded = request.headers.get("x-forwarded-for", "")
    return forwarded.split(",")[0].strip() or request.client or "?"


def intake_routes(app: App, token: str | None = None,
                  limit: RateLimit | None = None) -> dict[str, Route]:
    """The intake route when a token is set (from `LTC_INTAKE_TOKEN` unless given)."""
    secret = token if token is not None else os.environ.get(TOKEN_VARIABLE, "")
    if not secret:
        return {}
    limiter = limit or RateLimit()

    def intake(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return _answer(405, {"error": "method not allowed"})
        if not hmac.compare_digest(_given(request).encode(), secret.encode()):
            return _answer(401, {"error": "bad token"})
        if not limiter.allow(_client(request)):
            return HttpResponse(429, b'{"error": "too many leads, slow down"}',
                                "application/json", {"retry-after": "60"})
        try:
            fields = _fields(request)
        except (ValueError, UnicodeDecodeError):
            return _answer(400, {"error": "the body is neither JSON nor a form"})
        try:
            return _take(app, fields)
        except IntegrityError:  # the same external_id posted twice at once: the first won
            return _take(app, fields)

    return {PATH: intake}


def _fallback(app: App) -> User | None:
    """Who takes a lead nobody's rules name: the first active admin, else a manager."""
    with app.uow() as uow:
        for role in (Role.ADMIN, Role.MANAGER):
            found = uow.users.with_role(role, None)
            if found:
                return found[0]
    return None


def _take(app: App, fields: dict[str, str]) -> HttpResponse:
    settings = app.settings
    t = Translator("en", settings.timezone, settings)
    now = app.dispatcher.clock()
    with app.uow() as uow:
        uow.action = "intake"
        uow.at = now
        if fields.get("external_id"):
            known = uow.pool.by_external_id(fields["external_id"][:100])
            if known is not None:
                return _answer(200, {"lead": known.number, "duplicate": True})
        try:
            amount = parse_amount(fields["amount"], settings.currency).amount \
                if fields.get("amount") else None
            source = fields.get("source") or ("website" if "website" in settings.lead_sources
                                              else None)
            lead = checked_lead(NewLead(
                company=fields.get("company") or "", contact=fields.get("contact"),
                phone=fields.get("phone"), email=fields.get("email"), source=source,
                note=fields.get("note"), amount=amount if amount is None else Decimal(amount),
                region=fields.get("region"), external_id=fields.get("external_id")),
                settings, now)
        except DomainError as error:
            return _answer(422, {"error": error.key, "message": t(error.key, **error.params)})
        fallback = _fallback(app)
        if fallback is None:
            return _answer(503, {"error": "nobody to give the lead to: add a user first"})
        similar = find_similar(uow, lead.company, settings)
        router = Router(uow, settings)
        take_in_lead(uow, router, None, lead, fallback)
        router.save_turns()
        queue_notifications(uow, settings, now)
        uow.commit()
        owner = uow.users.get(lead.owner_id)
        log.info("intake: %s from %s to %s", lead.number, lead.source or "-",
                 owner.username if owner else "?")
        return _answer(201, {"lead": lead.number, "owner": owner.username if owner else None,
                             "score": lead.score,
                             "similar": [f"{'L' if m.kind == 'lead' else 'A'}-{m.id}"
                                         for m in similar]})

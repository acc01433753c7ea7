"""The operator's routes on the doors' HTTP endpoint: /healthz and /metrics."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from bot.http_server import HttpRequest, HttpResponse, Route
from bot.metrics import CONTENT_TYPE, exposition
from storage.outbox import OutboxStore

log = logging.getLogger(__name__)
JSON = "application/json"


def health_report(engine: Engine, clock: Callable[[], datetime]) -> tuple[bool, dict[str, object]]:
    """(healthy, details): the database answers, with the outbox depth and the age of its
    oldest pending row in seconds."""
    try:
        pending, oldest = OutboxStore(engine).backlog()
    except Exception as error:  # any database failure makes the instance unhealthy
        cause = str(getattr(error, "orig", None) or error).strip().splitlines()
        log.warning("health check: the database does not answer (%s)",
                    cause[0][:200] if cause else type(error).__name__)
        return False, {"status": "unhealthy", "database": "unreachable"}
    age = max((clock() - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return True, {"status": "ok", "database": "ok", "outbox_pending": pending,
                  "outbox_oldest_pending_seconds": round(age, 1)}


def ops_routes(engine: Engine, clock: Callable[[], datetime]) -> dict[str, Route]:
    """/healthz (200 when healthy, 503 otherwise; JSON) and /metrics (Prometheus text)."""

    def healthz(request: HttpRequest) -> HttpResponse:
        healthy, details = health_report(engine, clock)
        return HttpResponse(200 if healthy else 503, json.dumps(details).encode(), JSON)

    def metrics(request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, exposition(engine, clock), CONTENT_TYPE)

    return {"/healthz": healthz, "/metrics": metrics}

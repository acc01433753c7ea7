"""The chat commands read the big tables by key, never by walking them: SQLite's plans of every
statement a command runs. (SQLite keeps no statistics here, so its plans on this small database
are the plans it makes on a large one.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bot.app import App
from tests.support import say

# Tables that grow with the business; a walk through users or settings is no concern.
GROWING = ("leads", "customers", "contacts", "deals", "stage_changes", "activities",
           "reminders", "quotes", "orders", "invoices", "payments", "allocations",
           "search_terms", "audit_log", "outbox", "processed_deliveries")
# A search whose only key is a status matches a large share of the table.
_STATUS_ONLY = re.compile(r"SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(status=\?\)")


def _walks(plan: list[str]) -> list[str]:
    """The lines of a plan that read a growing table by scanning it, or by its status alone."""
    found = []
    for line in plan:
        scan = re.match(r"SCAN (\w+)", line)
        if scan and scan.group(1) in GROWING:
            found.append(line)
        status = _STATUS_ONLY.search(line)
        if status and status.group(1) in GROWING:
            found.append(line)
    return found


class Plans:
    """Records every SELECT an engine runs, then asks SQLite how it reads each."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def walks(self) -> list[tuple[str, list[str]]]:
        statements, self.statements = self.statements, []
        found = []
        with self.engine.connect() as conn:
            for statement, parameters in statements:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                walked = _walks([row[3] for row in rows])
                if walked:
                    found.append((statement.split("\n")[0][:120], walked))
        return found


@pytest.fixture
def plans(app: App) -> Iterator[Plans]:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("the plans are SQLite's")
    recorder = Plans(app.engine)
    yield recorder
    recorder.close()


def test_the_check_sees_a_walk() -> None:
    assert _walks(["SEARCH leads USING INDEX ix_leads_touched (status=?)"])
    assert _walks(["SCAN deals"]) and not _walks(["SCAN users"])
    assert not _walks(["SEARCH leads USING INTEGER PRIMARY KEY (rowid=?)",
                       "SEARCH leads USING COVERING INDEX ix_leads_name_key (name_key=?)"])


def test_a_new_lead_looks_for_its_look_alikes_by_key(app: App, plans: Plans) -> None:
    assert say(app, "rep", '/lead "Acme Ltd" contact=Li phone=13800000000').ok
    assert say(app, "rep", "/qualify L-1").ok
    assert say(app, "rep", "/lead 阿里巴巴").ok
    plans.statements.clear()
    reply = say(app, "rep2", '/lead "ACME Limited" contact=Wang source=website')
    assert reply.ok and "A-1 Acme Ltd" in reply.text  # the look-alikes are still found
    reply = say(app, "rep2", "/lead 阿里巴巴（中国）有限公司")
    assert reply.ok and "L-2 阿里巴巴" in reply.text
    assert plans.walks() == []

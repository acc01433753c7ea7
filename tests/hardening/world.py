"""A small company for the authorization matrix and the fuzz suite, with every role, and the
sample arguments of every registered command.

Whose records are whose can be read from their names: rep's (team east) contain "EastSecret",
rep2's "Rep2Private", other's (team west) "WestOnly". A new command brings its own sample
arguments (`@command(..., samples=...)`, written against the records below; a test fails
until it has some); the matrix and the fuzz suite then cover it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bot.app import App
from domain.model.users import Role
from domain.users import add_user
from handlers import charts, dispatch  # noqa: F401  (registers every command)
from handlers.commands import COMMANDS
from tests.support import FakeClock, say

# Each command's arguments after its name ("" is the command alone), from the command table.
# Refs: L-1, L-2, A-1, A-2, D-1, D-2, Q-1, Q-2, O-1, INV-2026-0001, P-1, R-1 are rep's; L-3,
# A-3, D-3, Q-3, O-2, INV-2026-0002, P-2, R-2 other's; L-4 rep2's.
SAMPLES: dict[str, tuple[str, ...]] = {name: c.samples for name, c in COMMANDS.items()}

SETUP = [
    ("rep", "/lead EastSecret Alpha contact=EastSecretLi phone=13800000001"),
    ("rep", "/qualify L-1 amount=100k close=2026-12-31"),
    ("rep", "/lead EastSecret Delta"), ("rep", "/qualify L-2 amount=20k"),
    ("other", "/lead WestOnly Beta contact=WestOnlyWang"), ("other", "/qualify L-3 amount=50k"),
    ("rep2", "/lead Rep2Private Gamma"),
    ("rep", "/quote D-1 10 x Server @ 1,000"), ("rep", "/accept Q-1 plan=net30"),
    ("rep", "/quote D-2 1 x Box @ 500 discount=30"),
    ("other", "/quote D-3 1 x Desk @ 5,000"), ("other", "/accept Q-3 plan=net30"),
    ("rep", "/remind D-2 tomorrow call EastSecret again"),
    ("other", "/remind D-3 tomorrow call WestOnly again"),
    ("rep", "/log D-2 call EastSecret pricing talk"),
    ("fin", "/deliver O-1 all"), ("fin", "/invoice O-1"),
    ("fin", "/pay INV-2026-0001 1,000 ref=EB-1"),
    ("fin", "/deliver O-2 all"), ("fin", "/invoice O-2"),
    ("fin", "/pay INV-2026-0002 500 ref=WB-1"),
]


@dataclass(frozen=True)
class Viewer:
    """Who types: their console name, their role in the table (None: no account or
    deactivated) and the names they must never be shown."""

    name: str
    role: Role | None
    hidden: tuple[str, ...]


VIEWERS = {
    "rep": Viewer("rep", Role.REP, ("WestOnly", "Rep2Private")),
    "manager": Viewer("mgr", Role.MANAGER, ("WestOnly",)),
    "finance": Viewer("fin", Role.FINANCE, ()),
    "admin": Viewer("boss", Role.ADMIN, ()),
    "rep of another team": Viewer("other", Role.REP, ("EastSecret", "Rep2Private")),
    "unknown user": Viewer("nobody", None, ("EastSecret", "WestOnly", "Rep2Private")),
    "deactivated user": Viewer("gone", None, ("EastSecret", "WestOnly", "Rep2Private")),
    # A contact of A-1 (EastSecret Alpha): its own orders and documents, nothing internal
    # (the other customer of the same rep, the rep's notes) and nothing of anyone else.
    "customer": Viewer("cust", Role.CUSTOMER,
                       ("WestOnly", "Rep2Private", "Delta", "pricing talk", "Beta")),
}


def build(app: App, clock: FakeClock) -> None:
    """The company: the fixture's users, a deactivated rep, and SETUP typed in."""
    with app.uow() as uow:
        uow.action = "world setup"
        gone = add_user(uow, "gone", Role.REP, clock(), team="east", locale="en",
                        timezone="Asia/Shanghai")
        gone.active = False
        uow.commit()
    for user, text in SETUP:
        reply = say(app, user, text)
        assert reply.ok, f"{user}: {text}: {reply.text}"
    with app.uow() as uow:
        uow.action = "world setup"
        add_user(uow, "cust", Role.CUSTOMER, clock(), locale="en", timezone="Asia/Shanghai",
                 customer_id=1)
        uow.commit()
    clock.advance(hours=1)


def shown(reply: Any) -> str:
    """Everything a reply shows: text, button labels and commands, and file contents (a
    PDF's text as read back from it)."""
    parts = [reply.text]
    parts += [f"{b.label} {b.command}" for row in reply.buttons for b in row]
    for file in reply.files:
        if file.mime == "application/pdf":
            from pypdf import PdfReader

            parts += [page.extract_text() for page in PdfReader(io.BytesIO(file.data)).pages]
        elif not file.is_image:
            parts.append(file.data.decode("utf-8", "replace"))
    return "\n".join(parts)


@dataclass
class Writes:
    """Statements that changed data and were committed, caught from the engine."""

    committed: list[str] = field(default_factory=list)

    def take(self) -> list[str]:
        found, self.committed = self.committed, []
        return found


@contextmanager
def watching(engine: Engine) -> Iterator[Writes]:
    """Record every INSERT/UPDATE/DELETE that gets committed (the delivery log aside)."""
    writes = Writes()

    def statement(conn: Any, cursor: Any, text: str, *_: Any) -> None:
        verb = text.lstrip().split(None, 1)[0].upper() if text.strip() else ""
        if verb in ("INSERT", "UPDATE", "DELETE") and "processed_deliveries" not in text:
            conn.info.setdefault("ltc_writes", []).append(text.split("\n", 1)[0][:120])

    def commit(conn: Any) -> None:
        writes.committed += conn.info.pop("ltc_writes", [])

    def rollback(conn: Any) -> None:
        conn.info.pop("ltc_writes", None)

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    try:
        yield writes
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
        event.remove(engine, "rollback", rollback)


def fast_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts are drawn by matplotlib (0.2 s each, tested in test_charts); these suites ask
    who sees what, so a chart here is a placeholder picture."""
    for name in ("pipeline_chart", "aging_chart", "forecast_chart"):
        monkeypatch.setattr(charts, name, lambda *args, **kwargs: b"\x89PNG placeholder")

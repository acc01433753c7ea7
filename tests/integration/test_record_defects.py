"""The gaps a team ran into in its first day, each closed: records can be corrected, handed
over, found by phone, read as cards and traced in their history; qualifying does not make a
second customer next to a look-alike."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from storage.tables import customers, deals, leads
from tests.support import say


def _ok(app: App, user: str, text: str) -> str:
    reply = say(app, user, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


def _count(app: App, table: object) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_wrong_amount_owner_and_name_can_be_corrected(app: App) -> None:
    _ok(app, "rep", "/lead Acme contact=Li phone=13800000000")
    _ok(app, "rep", "/qualify L-1 amount=50k")
    _ok(app, "rep", "/edit D-1 amount=60k close=2026-12-31")
    _ok(app, "mgr", "/assign D-1 rep2")
    _ok(app, "rep", "/rename A-1 Acme Holdings")
    with app.engine.connect() as conn:
        amount, owner = conn.execute(select(deals.c.amount, deals.c.owner_id)).one()
        name = conn.execute(select(customers.c.name)).scalar_one()
    assert amount == 60000
    assert owner == 4  # rep2
    assert name == "Acme Holdings"


def test_a_customer_keeps_several_contacts_and_is_found_by_phone(app: App) -> None:
    _ok(app, "rep", "/lead Acme contact=Li phone=13800000000")
    _ok(app, "rep", "/qualify L-1")
    _ok(app, "rep", "/contact A-1 name=Wang title=CFO phone=139-1111-2222")
    card = _ok(app, "rep", "/customer A-1")
    assert "Li" in card and "Wang" in card and "CFO" in card
    found = _ok(app, "rep", "/find +86 139 1111 2222")
    assert "Wang" in found and "A-1" in found


def test_lead_with_a_reference_shows_the_lead_instead_of_making_one(app: App) -> None:
    _ok(app, "rep", "/lead Acme contact=Li")
    card = _ok(app, "rep", "/lead L-1")
    assert "Acme" in card and "Li" in card
    assert _count(app, leads) == 1


def test_qualify_asks_before_making_a_second_look_alike_customer(app: App) -> None:
    _ok(app, "rep", "/lead 北京华为技术有限公司")
    _ok(app, "rep", "/qualify L-1")
    _ok(app, "rep", "/lead 华为技术")
    asked = say(app, "rep", "/qualify L-2")
    assert _count(app, customers) == 1
    commands = [b.command for row in asked.buttons for b in row]
    assert "/qualify L-2 customer=A-1" in commands
    assert "/qualify L-2 customer=new" in commands


def test_the_audit_trail_is_readable_in_chat(app: App) -> None:
    _ok(app, "rep", "/lead Acme")
    _ok(app, "rep", "/qualify L-1 amount=50k")
    _ok(app, "rep", "/stage D-1 proposal")
    history = _ok(app, "rep", "/history D-1")
    assert "Qualification" in history and "Proposal" in history

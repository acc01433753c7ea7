"""Satisfaction and the customer's reminders on both databases: NPS and the response rate in
/kpi, new detractors in the manager's digest, and polite payment reminders to a customer's
contact when the dunning levels name `customer`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select

from bot.app import App
from bot.delivery import Deliverer
from bot.jobs import Jobs
from domain.digests import manager_digest
from domain.model.users import Role
from domain.reports import Scope
from domain.settings import DunningLevel
from domain.users import add_user
from handlers.i18n import Translator
from handlers.notifications import render
from storage.tables import outbox
from tests.support import FakeClock, say


def _delivered_order(app: App, company: str) -> int:
    """An order of the rep for a new customer, delivered in full; returns the customer id."""
    lead = say(app, "rep", f"/lead {company}").text.split()[1]
    reply = say(app, "rep", f"/qualify {lead}")
    deal = next(w for w in reply.text.split() if w.startswith("D-"))
    customer = int(next(w for w in reply.text.split() if w.startswith("A-"))[2:].rstrip(","))
    quote = say(app, "rep", f"/quote {deal} 1 x Server @ 10,000").text.split()[1]
    order = say(app, "rep", f"/accept {quote} plan=net30").text.split()[1]
    with app.uow() as uow:
        add_user(uow, f"c{customer}", Role.CUSTOMER, app.dispatcher.clock(), locale="en",
                 timezone="Asia/Shanghai", customer_id=customer)
        uow.commit()
    assert say(app, "fin", f"/deliver {order} all").ok
    return customer


def test_kpi_shows_nps_and_the_response_rate(app: App) -> None:
    first, second = _delivered_order(app, "Acme"), _delivered_order(app, "Globex")
    _delivered_order(app, "Initech")  # asked, never answers
    assert say(app, f"c{first}", "/nps O-1 10").ok
    assert say(app, f"c{second}", "/nps O-2 3 too slow").ok
    assert say(app, "rep", f"/nps A-{first} 8 comment=phone call").ok
    assert not say(app, f"c{first}", "/nps O-2 10").ok  # not its order
    kpi = say(app, "mgr", "/kpi").text
    assert "NPS 0 · answers: 3 (promoters 1, detractors 1) · response rate 66.7%" in kpi


def test_the_managers_digest_names_new_detractors(app: App, clock: FakeClock) -> None:
    customer = _delivered_order(app, "Acme")
    say(app, f"c{customer}", "/nps O-1 2 nobody called back")
    with app.uow() as uow:
        params = manager_digest(uow, app.settings, Scope("team", team="east"),
                                datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    assert params["detractors"] == [{"customer": f"A-{customer}", "name": "Acme", "score": 2}]
    text = render("notify.digest_manager", params, Translator("en")).text
    assert f"New detractors: A-{customer} Acme 2/10" in text


def test_a_customer_contact_gets_a_polite_reminder_before_the_due_date(
        app: App, clock: FakeClock) -> None:
    app.settings = replace(app.settings, dunning=(DunningLevel(-3, ("owner", "customer")),))
    customer = _delivered_order(app, "Acme")
    assert say(app, "fin", "/invoice O-1").ok  # net30 from Nov 23: due Dec 23
    clock.now = datetime(2026, 12, 20, 1, 30, tzinfo=UTC)
    Jobs(app, Deliverer(app.engine, app.settings, [], clock)).dunning(clock.now)
    with app.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.recipient, outbox.c.key, outbox.c.params)
                            .where(outbox.c.key.like("notify.%reminder%")
                                   | (outbox.c.key == "notify.dunning"))).all()
    with app.uow() as uow:
        contact = uow.users.by_username(f"c{customer}")
        assert contact is not None
        contact_id = str(contact.id)
    polite = [r for r in rows if r.key == "notify.customer_reminder"]
    assert [r.recipient for r in polite] == [contact_id]
    assert [r.key for r in rows if r.recipient != contact_id] == ["notify.dunning"]
    shown = render("notify.customer_reminder", polite[0].params,
                   Translator("en", "Asia/Shanghai", app.settings))
    assert shown.text.startswith("Dear customer, a friendly reminder from Test Co:")
    assert "INV-2026-0001: CN¥11,300.00 due on Dec 23, 2026 (in 3 days)" in shown.text
    assert [b.command for row in shown.buttons for b in row] == ["/pdf INV-2026-0001"]

"""A rep's own cash reports work: /aging and the invoice and payment exports in "mine" scope."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.app import App
from handlers.reply import Reply
from storage.tables import outbox
from tests.support import FakeClock, say


def _book(app: App, clock: FakeClock) -> None:
    """rep's order O-1 invoiced and part paid; other's order O-2 invoiced, unpaid."""
    for user, text in [("rep", "/lead Acme"), ("rep", "/qualify L-1 amount=10k"),
                       ("other", "/lead Globex"), ("other", "/qualify L-2 amount=7k"),
                       ("rep", "/quote D-1 1 x Server @ 10,000 tax=0"),
                       ("rep", "/accept Q-1 plan=net30"),
                       ("other", "/quote D-2 1 x Desk @ 7,000 tax=0"),
                       ("other", "/accept Q-2 plan=net30"),
                       ("fin", "/deliver O-1 all"), ("fin", "/invoice O-1"),
                       ("fin", "/deliver O-2 all"), ("fin", "/invoice O-2"),
                       ("fin", "/pay INV-2026-0001 4,000 ref=B-1")]:
        assert say(app, user, text).ok, text
    clock.advance(days=45)  # both invoices are overdue now


def _csv(reply: Reply) -> list[list[str]]:
    assert reply.ok, reply.text
    (attachment,) = reply.files
    return list(csv.reader(io.StringIO(attachment.data.decode("utf-8-sig"))))


def test_a_reps_aging_shows_their_customers_only(app: App, clock: FakeClock) -> None:
    _book(app, clock)
    reply = say(app, "rep", "/aging")
    assert reply.ok, reply.text
    assert "A-1 Acme" in reply.text and "Globex" not in reply.text
    assert "6,000" in reply.text


def test_a_reps_invoice_export_lists_their_invoices_only(app: App, clock: FakeClock) -> None:
    _book(app, clock)
    rows = _csv(say(app, "rep", "/export invoices"))
    assert [r[0] for r in rows[1:]] == ["INV-2026-0001"]


def test_a_reps_payment_export_lists_their_payments_only(app: App, clock: FakeClock) -> None:
    _book(app, clock)
    rows = _csv(say(app, "rep", "/export payments"))
    assert [r[0] for r in rows[1:]] == ["P-1"]
    assert _csv(say(app, "other", "/export payments"))[1:] == []


def test_a_reps_cash_reports_raise_no_crash_alert(app: App, clock: FakeClock) -> None:
    _book(app, clock)
    for text in ("/aging", "/export invoices", "/export payments"):
        say(app, "rep", text)
    with app.engine.connect() as conn:
        alerts = conn.execute(select(outbox.c.id).where(
            outbox.c.key == "notify.command_failed")).all()
    assert alerts == []

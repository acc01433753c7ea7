"""A rep reports a payment; finance confirms it with the button, and only then is it booked."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.delivery import Deliverer
from storage.tables_cash import payments
from tests.integration.test_dunning import _invoice
from tests.integration.test_outbox_delivery import Recorder, link
from tests.support import FakeClock, say


def _payments(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(payments)) or 0)


def test_finance_confirms_a_reported_payment_with_one_button(app: App, clock: FakeClock) -> None:
    invoice = _invoice(app)
    reply = say(app, "rep", f"/paid {invoice} 5000 ref=BANK-778")
    assert reply.ok, reply.text
    assert reply.text.startswith(f"Reported to finance: CN¥5,000.00 from {invoice}")
    assert _payments(app) == 0
    link(app, clock, "fin", "telegram", "2002")
    door = Recorder()
    Deliverer(app.engine, app.settings, [door], clock).run_once()
    claims = [(chat, m) for chat, m in door.sent if "reports a payment" in m.text]
    assert len(claims) == 1
    chat, message = claims[0]
    assert chat == "2002"
    assert message.text.startswith("rep reports a payment: CN¥5,000.00 from Acme")
    assert ", ref BANK-778" in message.text
    confirm = message.buttons[0][0]
    assert confirm.label == "Confirm payment"
    booked = say(app, "fin", confirm.command)
    assert booked.ok, booked.text
    assert _payments(app) == 1
    again = say(app, "fin", confirm.command)
    assert not again.ok and "BANK-778" in again.text
    assert _payments(app) == 1


def test_a_rep_cannot_report_for_another_teams_customer(app: App) -> None:
    _invoice(app)
    reply = say(app, "other", "/paid A-1 5000")
    assert not reply.ok
    assert "not yours" in reply.text


def test_finance_records_payments_itself_and_is_not_asked_to_report(app: App) -> None:
    invoice = _invoice(app)
    reply = say(app, "fin", f"/paid {invoice} 5000")
    assert not reply.ok
    assert "cannot do that" in reply.text


def test_a_reported_payment_in_the_wrong_currency_is_refused_at_once(app: App) -> None:
    invoice = _invoice(app)
    reply = say(app, "rep", f"/paid {invoice} USD 500")
    assert not reply.ok
    assert "USD" in reply.text

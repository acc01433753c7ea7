"""The cash commands through the dispatcher: roles, who sees what, dates, plans, messages."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from storage.tables import outbox
from tests.e2e.session import changed_tables, snapshot
from tests.support import FakeClock, say


def _order(app: App, plan: str = "30/60/10", item: str = "10 x Server @ 10,000") -> str:
    """A signed order of the rep; 10 x 10,000 + 13% tax = 113,000.00 CNY by default."""
    lead = say(app, "rep", "/lead Acme contact=Li").text.split()[1]
    deal = next(w for w in say(app, "rep", f"/qualify {lead}").text.split() if w.startswith("D-"))
    quote = say(app, "rep", f"/quote {deal} {item}").text.split()[1]
    reply = say(app, "rep", f"/accept {quote} plan={plan}")
    assert reply.ok, reply.text
    return reply.text.split()[1]


def test_only_finance_invoices_takes_payments_and_voids(app: App) -> None:
    order = _order(app)
    before = snapshot(app)
    for user, command in [("rep", f"/invoice {order}"), ("mgr", f"/invoice {order}"),
                          ("rep", "/pay A-1 100"), ("mgr", "/pay A-1 100"),
                          ("rep", "/void INV-2026-0001 reason=x")]:
        reply = say(app, user, command)
        assert not reply.ok
        assert reply.text == f"Your role ({'rep' if user == 'rep' else 'manager'}) cannot do " \
                             "that; it needs: finance."
    assert changed_tables(before, snapshot(app)) == {}
    assert say(app, "fin", f"/invoice {order}").text.startswith("Invoice INV-2026-0001 issued")
    assert say(app, "fin", "/pay INV-2026-0001 1000").ok
    assert say(app, "fin", "/void INV-2026-0001 reason=typo").ok


def test_reps_see_their_own_customers_and_managers_their_team(app: App) -> None:
    order = _order(app)
    say(app, "rep", f"/deliver {order} 1 x Server")
    say(app, "fin", f"/invoice {order}")
    for user in ("rep", "mgr", "fin", "boss"):
        assert say(app, user, "/customer A-1").ok, user
        assert say(app, user, f"/order {order}").ok, user
        assert "INV-2026-0001" in say(app, user, "/invoices").text, user
    for user in ("rep2", "other"):
        refused = say(app, user, "/customer A-1")
        assert not refused.ok and "A-1 is not yours" in refused.text
        assert not say(app, user, f"/order {order}").ok
        assert say(app, user, "/invoices all").text == "No invoices here (all)."
    assert not say(app, "rep2", f"/deliver {order} 1 x Server").ok


def test_customer_card_tells_the_whole_story(app: App) -> None:
    order = _order(app)
    say(app, "rep", "/log A-1 call Agreed the delivery date")
    say(app, "rep", f"/deliver {order} 4 x Server")
    say(app, "fin", f"/invoice {order}")
    say(app, "fin", "/pay A-1 40,000 ref=BANK-1")
    text = say(app, "rep", "/customer Acme").text
    for part in ["Customer A-1 Acme · owner rep",
                 "D-1 Acme — won, CN¥113,000.00",  # the signed order's total
                 f"{order} CN¥113,000.00 — to deliver and invoice; delivered 4 of 10, "
                 "invoiced CN¥33,900.00, paid CN¥33,900.00",
                 "Nov 23, 2026 O-1: 4 × Server",
                 "INV-2026-0001 · O-1 · CN¥33,900.00 · outstanding CN¥0.00",
                 "CNY: outstanding CN¥0.00 (overdue CN¥0.00) · credit CN¥6,100.00 · "
                 "received CN¥40,000.00",
                 "P-1 Nov 23, 2026 CN¥40,000.00, bank transfer, ref BANK-1",
                 "Last contact: Mon, Nov 23, 2026 10:00"]:
        assert part in text, f"{part!r} missing in:\n{text}"


def test_unpaid_invoice_becomes_overdue_after_its_due_date(app: App, clock: FakeClock) -> None:
    order = _order(app, plan="\"50/50 net30\"")
    say(app, "fin", f"/invoice {order}")
    assert "due Dec 23, 2026 · issued" in say(app, "fin", "/invoices").text
    assert say(app, "fin", "/invoices overdue").text == "No invoices here (overdue)."
    clock.advance(days=31)
    text = say(app, "fin", "/invoices overdue").text
    assert "INV-2026-0001 · Acme · O-1 · CN¥56,500.00 · outstanding CN¥56,500.00" in text
    assert text.endswith("Total: CN¥56,500.00 outstanding (invoices: 1), CN¥56,500.00 of it "
                         "overdue.")
    say(app, "fin", "/pay INV-2026-0001 1万")
    assert "outstanding CN¥46,500.00 · due Dec 23, 2026 · overdue" in say(
        app, "fin", "/invoices").text


def test_net45_eom_plan_sets_the_due_date_after_the_month_end(app: App) -> None:
    order = _order(app, plan='"net45 eom"')
    refused = say(app, "fin", f"/invoice {order}")
    assert "nothing is delivered yet" in refused.text
    say(app, "rep", f"/deliver {order} all")
    reply = say(app, "fin", f"/invoice {order}")
    assert "dated Nov 23, 2026, due Jan 14, 2027" in reply.text  # Nov 30 + 45 days


def test_fixed_date_installment_waits_for_its_day(app: App, clock: FakeClock) -> None:
    order = _order(app, plan="50@signing/50@2026-12-01")
    card = say(app, "fin", f"/order {order}").text
    assert "2. 50% = CN¥56,500.00, on Dec 1, 2026 — can be invoiced from Dec 1, 2026" in card
    say(app, "fin", f"/invoice {order}")
    refused = say(app, "fin", f"/invoice {order}")
    assert refused.text == "Installment 2 of O-1 can be invoiced from 2026-12-01."
    clock.advance(days=8)
    assert say(app, "fin", f"/invoice {order}").text.startswith("Invoice INV-2026-0002 issued")


def test_payment_is_announced_to_finance_and_the_owner(app: App) -> None:
    order = _order(app)
    say(app, "fin", f"/invoice {order}")
    say(app, "fin", "/pay INV-2026-0001 33,900 ref=B-1")
    with app.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.recipient_kind, outbox.c.recipient, outbox.c.params)
                            .where(outbox.c.key == "notify.payment_received")).all()
    with app.uow() as uow:
        owner = uow.users.by_username("rep")
        assert owner is not None
        owner_id = owner.id
    assert sorted((kind, who) for kind, who, _ in rows) == [("channel", "finance"),
                                                            ("user", str(owner_id))]
    assert rows[0][2]["amount"] == {"amount": "33900.00", "currency": "CNY"}
    assert rows[0][2]["invoices"] == "INV-2026-0001"


def test_refused_cash_commands_say_why_and_change_nothing(app: App) -> None:
    order = _order(app)
    say(app, "fin", f"/invoice {order}")
    say(app, "fin", "/pay INV-2026-0001 100 ref=B-1")
    before = snapshot(app)
    cases = {
        f"/deliver {order} 11 x Server": "Only 10 of “Server” are left to deliver on O-1",
        f"/deliver {order} 1 x Printer": "O-1 has no line “Printer”. Its lines: #1 Server.",
        f"/invoice {order} amount=200k": "is more than what is left to invoice on O-1",
        f"/invoice {order} installment=1": "Installment 1 of O-1 is already invoiced as "
                                           "INV-2026-0001",
        f"/invoice {order} installment=x": "“x” is not an installment number",
        "/pay INV-2026-0001 USD 100": "INV-2026-0001 is in CNY; a payment in USD cannot "
                                      "settle it",
        "/pay INV-2026-0001 100 ref=B-1": "bank reference “B-1” is recorded already (P-1)",
        "/pay INV-2026-0009 100": "INV-2026-0009 does not exist.",
        "/pay A-1 100 date=tomorrow": "The payment date 2026-11-24 is in the future.",
        "/void INV-2026-0001": "Say why the invoice is voided.",
        f"/order {order} x=1": "I don't know the option x=",
    }
    for command, expected in cases.items():
        reply = say(app, "fin", command)
        assert not reply.ok, command
        assert expected in reply.text, f"{command}: {reply.text}"
    assert changed_tables(before, snapshot(app)) == {}


def test_help_lists_cash_commands_by_role(app: App) -> None:
    finance = say(app, "fin", "/help").text
    rep = say(app, "rep", "/help").text
    for name in ("/invoice —", "/pay —", "/void —", "/invoices —", "/customer —", "/order —"):
        assert name in finance
    assert "/invoices —" in rep and "/pay —" not in rep and "/void —" not in rep
    assert "/pay <INV-2026-0007 | A-5> <amount>" in say(app, "fin", "/help pay").text


def test_amount_invoice_uses_the_next_installment_terms(app: App) -> None:
    order = _order(app, plan='"30/70 net30" signed=2026-11-19')
    reply = say(app, "fin", f"/invoice {order} amount=10k date=2026-11-20")
    assert "CN¥10,000.00, dated Nov 20, 2026, due Dec 20, 2026" in reply.text
    assert f"Still to invoice on {order}: CN¥103,000.00." in reply.text
    refused = say(app, "fin", f"/invoice {order} amount=1k date=2026-11-18")
    assert refused.text == f"The invoice date 2026-11-18 is before {order} was signed (2026-11-19)."

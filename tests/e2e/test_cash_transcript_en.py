"""Signed order to cash through the console door, in English: deliveries, invoices,
a partial payment, an over-payment, a void and a credit applied, until everything is paid."""

from __future__ import annotations

from decimal import Decimal

from bot.app import App
from domain.model.invoices import InvoiceStatus
from domain.model.orders import OrderStatus
from domain.payments import credit_of
from tests.e2e.expected import amounts_in, en_date, en_money, plan_amounts, quote_total, today_in
from tests.e2e.session import assert_in_order, chat, leaked_keys, ref_in
from tests.support import FakeClock

TZ = "Asia/Shanghai"


def test_order_is_delivered_invoiced_and_paid_in_english(app: App, clock: FakeClock) -> None:
    today = today_in(clock(), TZ)
    total = quote_total(10, Decimal(10000), Decimal(0), app.settings.default_tax)
    first, second, third = plan_amounts(total, [30, 60, 10])
    partial = Decimal(20000)
    lump = Decimal(100000)
    transcript: list[str] = []

    def say_as(user: str, *lines: str, refusals: int = 0) -> str:
        text, refused = chat(app, user, *lines)
        transcript.append(text)
        assert refused == refusals, text
        return text

    text = say_as("rep", "/lead Acme Trading contact=Li")
    text = say_as("rep", f"/qualify {ref_in(text, 'L')} amount=100k")
    customer = ref_in(text, "A")
    text = say_as("rep", f"/quote {ref_in(text, 'D')} 10 x Server @ 10,000")
    text = say_as("rep", f"/accept {ref_in(text, 'Q')} plan=30/60/10")
    order = ref_in(text, "O")

    text = say_as("fin", f"/invoice {order}")
    assert f"Invoice INV-2026-0001 issued on {order} to Acme Trading: {en_money(first)}, " \
           f"dated {en_date(today)}, due {en_date(today)}." in text
    assert "installment 1 (30%)" in text

    text = say_as("fin", "/pay INV-2026-0001 20,000 ref=BANK-001")
    assert f"INV-2026-0001: {en_money(partial)} applied, outstanding " \
           f"{en_money(first - partial)} (partly paid)" in text
    text = say_as("fin", "/pay INV-2026-0001 20,000 ref=BANK-001", refusals=1)
    assert "bank reference “BANK-001” is recorded already (P-1)" in text

    text = say_as("rep", f"/deliver {order} 4 x Server")
    assert "#1 Server: 4 of 10 delivered" in text
    assert f"Installment 2 of {order} can now be invoiced." in text
    text = say_as("fin", f"/invoice {order}")
    assert f"Invoice INV-2026-0002 issued on {order}" in text and en_money(second) in text

    text = say_as("rep", f"/deliver {order} all")
    assert "#1 Server: 10 of 10 delivered" in text and f"Everything on {order} is delivered." \
        in text
    text = say_as("fin", f"/invoice {order} installment=3")
    assert f"Invoice INV-2026-0003 issued on {order}" in text and en_money(third) in text

    text = say_as("fin", '/void INV-2026-0003 reason="wrong tax number"')
    assert f"Invoice INV-2026-0003 is void: credit note CN-2026-0001 for {en_money(third)}. " \
           "Reason: wrong tax number" in text

    text = say_as("fin", f"/pay {customer} 100,000 ref=BANK-002")
    overpaid = lump - (first - partial) - second
    assert_in_order(text, [
        f"INV-2026-0001: {en_money(first - partial)} applied, outstanding CN¥0.00 (paid)",
        f"INV-2026-0002: {en_money(second)} applied, outstanding CN¥0.00 (paid)",
        f"{en_money(overpaid)} is more than was owed and is kept as credit",
    ])

    text = say_as("fin", f"/invoice {order} installment=3")
    assert f"Invoice INV-2026-0004 issued on {order}" in text
    assert f"{en_money(third)} of the customer's credit applied: outstanding CN¥0.00 (paid)." \
        in text

    text = say_as("fin", "/invoices", "/invoices all", f"/order {order}", f"/customer {customer}")
    assert "No invoices here (open)." in text
    assert_in_order(text, [
        "INV-2026-0004 · Acme Trading · O-1", "· paid",
        "INV-2026-0003 · Acme Trading · O-1", "· void",
        "INV-2026-0002", "· paid", "INV-2026-0001", "· paid",
        "Total: CN¥0.00 outstanding (invoices: 4)",
        f"Order {order} · {customer} Acme Trading · {en_money(total)} · completed",
        f"Invoiced {en_money(total)} · paid {en_money(total)} · outstanding CN¥0.00",
        f"credit {en_money(overpaid - third)} · received {en_money(partial + lump)}",
    ])
    assert sum(amounts_in(text.split("Payment plan:")[1].split("Deliveries:")[0], "CN¥")) == total

    everything = "\n".join(transcript)
    assert not leaked_keys(everything), everything
    with app.uow() as uow:
        saved = uow.orders.get(int(order[2:]))
        assert saved is not None
        invoices = uow.invoices.of_order(saved.id or 0)
        assert [i.status(today) for i in invoices] == [
            InvoiceStatus.PAID, InvoiceStatus.PAID, InvoiceStatus.VOID, InvoiceStatus.PAID]
        assert saved.position(invoices).status == OrderStatus.COMPLETED
        assert credit_of(uow, saved.customer_id, "CNY") == overpaid - third

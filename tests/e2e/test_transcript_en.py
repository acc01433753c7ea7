"""Lead to signed order through the console door, in English, as the people would type it."""

from __future__ import annotations

from decimal import Decimal

from bot.app import App
from domain.model.deals import DealStatus
from domain.model.quotes import QuoteStatus
from tests.e2e.expected import (
    FRIDAY,
    amounts_in,
    at_nine,
    en_date,
    en_money,
    en_weekday_date,
    next_weekday,
    plan_amounts,
    quote_total,
    today_in,
)
from tests.e2e.session import chat, leaked_keys, ref_in
from tests.support import FakeClock

TZ = "Asia/Shanghai"  # the time zone of the fixture's users


def test_rep_takes_a_lead_to_a_signed_order_with_approval_in_english(
    app: App, clock: FakeClock
) -> None:
    today = today_in(clock(), TZ)
    friday = next_weekday(clock(), TZ, FRIDAY)
    total = quote_total(10, Decimal(5000), Decimal(20), app.settings.default_tax)
    installments = plan_amounts(total, [30, 60, 10])
    transcript: list[str] = []

    def rep(line: str) -> str:
        text, refused = chat(app, "rep", line)
        transcript.append(text)
        assert refused == 0, text
        return text

    text = rep("/lead Acme Trading contact=Li")
    lead = ref_in(text, "L")
    assert f"Lead {lead} saved: Acme Trading" in text

    text = rep(f"/qualify {lead} amount=50k")
    deal, customer = ref_in(text, "D"), ref_in(text, "A")
    assert f"customer {customer} Acme Trading" in text
    assert f"deal {deal}" in text

    text = rep(f"/log {deal} call Talked through the price next=fri")
    reminder = ref_in(text, "R")
    assert f"Logged call on {deal}" in text
    assert f"Reminder {reminder} set for {en_weekday_date(friday)} 09:00" in text

    text = rep(f"/quote {deal} 10 x Server @ 5,000 discount=20")
    quote = ref_in(text, "Q")
    assert f"Quote {quote} for {deal} (waiting for approval)" in text
    assert f"10 × Server @ {en_money(Decimal(5000))} = {en_money(Decimal(50000))}" in text
    assert f"Discount 20%: −{en_money(Decimal(10000))}" in text
    assert f"Total: {en_money(total)}" in text
    assert "manager must approve" in text

    approved, refused = chat(app, "mgr", f"/approve {quote}")
    transcript.append(approved)
    assert refused == 0, approved
    assert f"Quote {quote} approved" in approved

    text = rep(f"/quote {quote}")
    assert f"Quote {quote} for {deal} (approved)" in text

    text = rep(f"/accept {quote} plan=30/60/10")
    order = ref_in(text, "O")
    head, *rest = text.strip().splitlines()
    plan_lines = [line for line in rest if "%" in line]
    assert f"Order {order} created from {quote} (deal {deal} won)" in head
    assert f"{en_money(total)}, signed {en_date(today)}" in head
    assert len(plan_lines) == 3, text
    printed = [amounts_in(line, "CN¥") for line in plan_lines]
    assert printed == [[amount] for amount in installments]
    assert sum(installments) == total
    for line, pct, trigger in zip(plan_lines, (30, 60, 10),
                                  ("signing", "delivery", "acceptance"), strict=True):
        assert f"{pct}%" in line and trigger in line

    everything = "\n".join(transcript)
    assert not leaked_keys(everything), everything
    assert "¥" not in everything.replace("CN¥", "")  # English shows the yuan as CN¥

    with app.uow() as uow:
        saved_quote = uow.quotes.get(int(quote[2:]))
        saved_deal = uow.deals.get(int(deal[2:]))
        saved_order = uow.orders.get(int(order[2:]))
        saved_reminder = uow.reminders.get(int(reminder[2:]))
        assert saved_quote is not None and saved_quote.status == QuoteStatus.ACCEPTED
        assert saved_quote.total == total
        assert saved_deal is not None and saved_deal.status == DealStatus.WON
        assert saved_order is not None
        assert saved_order.total == total and saved_order.signed_on == today
        assert [i.amount for i in saved_order.installments] == installments
        assert [i.percent for i in saved_order.installments] == [30, 60, 10]
        assert saved_reminder is not None
        assert saved_reminder.due_at == at_nine(friday, TZ)
        assert saved_reminder.ref_number == deal

"""Keeping records true through the console door, in English: a deal that follows its quote and
order, corrections, contacts, search, history, and a rep who leaves."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from bot.app import App
from domain.model.deals import AmountSource, DealStatus
from tests.e2e.expected import en_date, en_money
from tests.e2e.session import assert_in_order, chat, leaked_keys, ref_in
from tests.support import FakeClock


def test_a_team_keeps_its_records_true_in_english(app: App, clock: FakeClock) -> None:
    transcript: list[str] = []

    def say_as(user: str, *lines: str, refusals: int = 0) -> str:
        text, refused = chat(app, user, *lines)
        transcript.append(text)
        assert refused == refusals, text
        return text

    text = say_as("rep", '/lead "Beijing Huawei Technologies Co., Ltd." contact="Li Ming" '
                         "phone=+86-138-0013-8000")
    first_lead = ref_in(text, "L")
    text = say_as("rep", f"/qualify {first_lead} amount=120k close=2026-12-31")
    customer, deal = ref_in(text, "A"), ref_in(text, "D")

    # A second lead for the same company: qualifying asks before making a second customer.
    text = say_as("rep", "/lead Huawei Technologies contact=Wang")
    lead = ref_in(text, "L")
    text = say_as("rep", f"/qualify {lead}")
    assert f"Lead {lead} Huawei Technologies looks like a customer already on file:" in text
    assert f"[Use {customer} Beijing Huawei Technolo…: /qualify {lead} customer={customer}]" \
        in text
    assert f"[New customer: /qualify {lead} customer=new]" in text
    text = say_as("rep", f"/qualify {lead} customer={customer}")
    assert f"{customer} was already a customer" in text
    second_deal = ref_in(text, "D")

    # The deal follows its quote, then a typed correction, then the signed order.
    text = say_as("rep", f"/quote {deal} 3 x Server @ 2,000; 1 x Install @ 750 tax=6")
    quote = ref_in(text, "Q")
    assert f"Amount: {en_money(Decimal(7155))} (from {quote})" in say_as("rep", f"/deal {deal}")
    text = say_as("rep", f"/edit {deal} amount=8k close=2026-12-20")
    assert f"amount {en_money(Decimal(7155))} → {en_money(Decimal(8000))}" in text
    assert f"close date {en_date(datetime(2026, 12, 31).date())} → Dec 20, 2026" in text
    text = say_as("rep", f"/accept {quote} signed=2026-10-15")
    order = ref_in(text, "O")
    text = say_as("rep", f"/deal {deal}")
    assert f"Amount: {en_money(Decimal(7155))} (order {order})" in text
    assert "Won on Oct 15, 2026" in text
    text = say_as("rep", f"/edit {order} total=1", f"/edit {deal} amount=1", refusals=2)
    assert f"Order {order} is a signed contract and is never edited." in text
    assert f"The amount of {deal} is its signed order {order}'s total" in text

    # Contacts, and finding them.
    text = say_as("rep", f"/contact {customer} name=Zhao title=CFO phone=\"010 6288 1234\" "
                         "email=Zhao@Huawei.com")
    contact = ref_in(text, "C")
    text = say_as("rep", f"/customer {customer}")
    assert_in_order(text, ["Contacts:", "Li Ming · +86-138-0013-8000",
                           f"{contact} Zhao (CFO) · 010 6288 1234 · Zhao@Huawei.com", "Deals:"])
    text = say_as("rep", "/find 8000")
    assert text.splitlines()[1].startswith("C-1 Li Ming · contact at")
    text = say_as("rep", "/find huawei.com")
    assert f"{contact} Zhao (CFO) · contact at {customer}" in text
    assert f"{second_deal} Huawei Technologies · deal at {customer}" in say_as(
        "rep", "/find huawei tech")

    # What changed, and who did it.
    text = say_as("rep", f"/history {deal}")
    assert_in_order(text, [f"History of {deal}", "/accept: amount", "/edit: amount",
                           "/quote: amount", "/qualify: created"])

    # The rep leaves: the admin deactivates them, the manager hands their work over.
    text = say_as("boss", "/users deactivate rep")
    assert "Still open: customers 1, deals 1, leads 0, reminders 0" in text
    say_as("rep", "/leads", refusals=1)
    text = say_as("mgr", "/handover rep rep2")
    assert f"rep's open records are now rep2's (2): {customer}, {second_deal}." in text

    everything = "\n".join(transcript)
    assert not leaked_keys(everything), everything
    with app.uow() as uow:
        won = uow.deals.get(int(deal[2:]))
        moved = uow.deals.get(int(second_deal[2:]))
        rep2 = uow.users.by_username("rep2")
        assert won is not None and moved is not None and rep2 is not None
        assert (won.status, won.amount, won.amount_source) == (
            DealStatus.WON, Decimal(7155), AmountSource.ORDER)
        assert won.closed_at == datetime(2026, 10, 15, 4, 0, tzinfo=UTC)
        assert won.owner_id != rep2.id  # closed work stays with who won it
        assert moved.owner_id == rep2.id

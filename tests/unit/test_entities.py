"""Entities keep their own rules: each state change is refused or made by the entity itself,
with no unit of work in sight."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.errors import Conflict, Forbidden, InvalidInput
from domain.model.credit_notes import CreditNote
from domain.model.deals import Deal, DealStatus
from domain.model.invoices import Invoice
from domain.model.leads import Lead, LeadStatus
from domain.model.orders import Order
from domain.model.quotes import LineInput, Quote, QuoteStatus
from domain.model.reminders import Reminder, ReminderStatus
from domain.model.users import Role, User
from domain.money import Money
from domain.settings import Settings
from tests.unit.fakes import NOW, TODAY

SETTINGS = Settings()


def _user(uid: int, role: Role = Role.MANAGER) -> User:
    return User(f"u{uid}", f"U{uid}", role, "east", "en", "UTC", NOW, id=uid)


def _deal() -> Deal:
    stage = SETTINGS.first_stage
    return Deal(title="Acme", customer_id=1, owner_id=1, team="east", stage=stage.key,
                probability=stage.probability, currency="CNY", created_at=NOW,
                last_activity_at=NOW, id=7)


def _quote(discount: str = "20") -> Quote:
    return Quote.draft(_deal(), [LineInput(Decimal(2), "Server", Money(Decimal(100), "CNY"))],
                       discount=Decimal(discount), tax=Decimal(0), valid_until=TODAY,
                       approval_discount=Decimal(10), today=TODAY, now=NOW)


def test_a_quote_with_a_large_discount_waits_and_its_owner_may_not_approve_it() -> None:
    quote = _quote()
    assert (quote.status, quote.total) == (QuoteStatus.PENDING, Decimal("160.00"))
    with pytest.raises(Forbidden) as caught:
        quote.approve(_user(1), NOW, TODAY)  # the deal's owner, not an admin
    assert caught.value.key == "quote.own_approval"
    quote.approve(_user(2), NOW, TODAY)
    assert (quote.status, quote.decided_by, quote.decided_at) == (QuoteStatus.APPROVED, 2, NOW)
    with pytest.raises(Conflict):
        quote.reject("too cheap", _user(2), NOW, TODAY)


def test_a_quote_with_no_lines_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        Quote.draft(_deal(), [], discount=Decimal(0), tax=Decimal(0), valid_until=TODAY,
                    approval_discount=Decimal(10), today=TODAY, now=NOW)
    assert caught.value.key == "quote.no_lines"


def test_a_deal_moves_hands_back_its_history_line_and_is_lost_once() -> None:
    deal = _deal()
    stage = SETTINGS.stages[1]
    change = deal.move_to(stage, 3, NOW)
    assert (change.from_stage, change.to_stage, change.user_id, change.deal_id) == (
        SETTINGS.first_stage.key, stage.key, 3, 7)
    assert deal.probability == stage.probability
    with pytest.raises(InvalidInput):
        deal.lose("  ", 3, NOW)
    deal.lose("went elsewhere", 3, NOW)
    assert (deal.status, deal.probability, deal.lost_reason) == (DealStatus.LOST, 0,
                                                                 "went elsewhere")
    with pytest.raises(Conflict) as caught:
        deal.win(3, NOW)
    assert caught.value.key == "deal.closed"


def test_a_lead_is_closed_once() -> None:
    lead = Lead(company="Acme", name_key="acme", owner_id=1, team=None, created_at=NOW)
    lead.disqualify("no budget", NOW)
    assert (lead.status, lead.reason, lead.closed_at) == (LeadStatus.DISQUALIFIED,
                                                          "no budget", NOW)
    with pytest.raises(Conflict):
        lead.qualify(1, 2, NOW)


def test_an_invoice_is_voided_once() -> None:
    invoice = Invoice(number="INV-2026-0001", year=2026, seq=1, order_id=1, customer_id=1,
                      owner_id=1, team=None, currency="CNY", total=Decimal(100),
                      issued_on=TODAY, due_on=TODAY, issued_by=1, created_at=NOW)

    def note(seq: int) -> CreditNote:
        return CreditNote(number=f"CN-2026-000{seq}", year=2026, seq=seq, invoice_id=1,
                          customer_id=1, currency="CNY", amount=Decimal(100), reason="typo",
                          issued_on=TODAY, issued_by=1, created_at=NOW)

    invoice.void(note(1))
    assert invoice.is_void and invoice.outstanding == 0
    with pytest.raises(Conflict) as caught:
        invoice.void(note(2))
    assert caught.value.params == {"invoice": "INV-2026-0001", "credit_note": "CN-2026-0001"}


def test_an_order_dates_its_documents_between_signing_and_today() -> None:
    order = Order(quote_id=1, deal_id=1, customer_id=1, owner_id=1, team=None, currency="CNY",
                  total=Decimal(100), discount_pct=Decimal(0), tax_pct=Decimal(0),
                  signed_on=TODAY - timedelta(days=3), plan="100", created_at=NOW, id=4)
    order.check_document_date(TODAY, TODAY, "invoice")
    cases: list[tuple[date, str]] = [(TODAY + timedelta(days=1), "invoice.date_in_future"),
                                     (TODAY - timedelta(days=4), "invoice.before_signing")]
    for day, key in cases:
        with pytest.raises(InvalidInput) as caught:
            order.check_document_date(day, TODAY, "invoice")
        assert caught.value.key == key


def test_a_reminder_is_snoozed_into_the_future_only_and_done_once() -> None:
    reminder = Reminder.set_for(1, None, NOW + timedelta(hours=1), "call back", NOW)
    reminder.mark_queued(NOW)
    with pytest.raises(InvalidInput):
        reminder.snooze(NOW, NOW)
    reminder.snooze(NOW + timedelta(days=1), NOW)
    assert reminder.notified_at is None  # it will be sent again
    reminder.complete(NOW)
    assert reminder.status == ReminderStatus.DONE
    with pytest.raises(Conflict):
        reminder.complete(NOW)


def test_the_last_admin_stays_an_admin_and_active() -> None:
    admin = _user(1, Role.ADMIN)
    for change in (lambda: admin.deactivate(None, other_admins=0),
                   lambda: admin.change_role(Role.REP, other_admins=0)):
        with pytest.raises(Conflict) as caught:
            change()
        assert caught.value.key == "user.last_admin"
    admin.change_role(Role.REP, other_admins=1)
    admin.deactivate(_user(2, Role.ADMIN), other_admins=1)
    assert (admin.role, admin.active) == (Role.REP, False)

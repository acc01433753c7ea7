"""Quotes: exact totals, the discount approval rule, decisions, validity."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.deals import win_deal
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.events import QuoteApproved, QuoteNeedsApproval, QuoteRejected
from domain.model.quotes import LineInput, Quote, QuoteStatus
from domain.model.users import Role, User
from domain.money import Money
from domain.orders import accept_quote
from domain.quotes import approve_quote, draft_quote, reject_quote, withdraw_quote
from domain.settings import Settings
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal

SETTINGS = Settings()
LATER = NOW + timedelta(hours=1)


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


@pytest.fixture
def mgr(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "mgr", Role.MANAGER, "east")


def _line(quantity: str, item: str, price: str, currency: str = "CNY") -> LineInput:
    return LineInput(Decimal(quantity), item, Money(Decimal(price), currency))


def _draft(uow: FakeUnitOfWork, owner: User, discount: str = "0") -> Quote:
    deal = given_deal(uow, owner)
    return draft_quote(uow, owner, deal.id or 0, [_line("10", "Server", "5000")], SETTINGS,
                       NOW, TODAY, discount=Decimal(discount))


# --------------------------------------------------------------------------- totals


def test_totals_are_exact_decimals(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    quote = draft_quote(uow, rep, deal.id or 0,
                        [_line("10", "Server", "5000"), _line("2", "Rack rail", "199.99")],
                        SETTINGS, NOW, TODAY, discount=Decimal(10))
    assert quote.subtotal == Money(Decimal("50399.98"), "CNY")
    assert quote.discount == Money(Decimal("5040.00"), "CNY")   # 5,039.998 rounded
    assert quote.net == Money(Decimal("45359.98"), "CNY")
    assert quote.tax == Money(Decimal("5896.80"), "CNY")        # 13 % of the net: 5,896.7974
    assert quote.grand_total == Money(Decimal("51256.78"), "CNY")
    assert quote.total == Decimal("51256.78")
    assert [(line.position, line.item) for line in quote.lines] == [(1, "Server"),
                                                                    (2, "Rack rail")]


def test_yen_quote_totals_have_no_decimals(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep, currency="JPY", amount=None)
    quote = draft_quote(uow, rep, deal.id or 0, [_line("3", "Licence", "333", "JPY")],
                        SETTINGS, NOW, TODAY, tax=Decimal(10))
    assert quote.tax.amount == Decimal("100")   # 99.9 rounded to whole yen
    assert quote.total == Decimal("1099")


def test_quote_defaults_come_from_settings(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _draft(uow, rep)
    assert quote.tax_pct == SETTINGS.default_tax
    assert quote.valid_until == TODAY + timedelta(days=SETTINGS.quote_validity_days)
    assert (quote.status, quote.currency, quote.owner_id, quote.team) == (
        QuoteStatus.DRAFT, "CNY", rep.id, "east")
    assert uow.quotes.get(quote.id or 0) is quote


def test_quote_in_another_currency_than_the_deal_is_refused(
    uow: FakeUnitOfWork, rep: User
) -> None:
    deal = given_deal(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        draft_quote(uow, rep, deal.id or 0, [_line("1", "Server", "700", "USD")], SETTINGS,
                    NOW, TODAY)
    assert caught.value.key == "quote.currency_mismatch"
    assert caught.value.params == {"currency": "USD", "expected": "CNY"}
    assert uow.quotes.open_for_deal(deal.id or 0, TODAY) == []


@pytest.mark.parametrize(
    ("lines", "discount"),
    [([_line("1", "Sample", "0")], "0"), ([_line("1", "Server", "5000")], "100")],
)
def test_quote_with_zero_total_is_refused(
    uow: FakeUnitOfWork, rep: User, lines: list[LineInput], discount: str
) -> None:
    deal = given_deal(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        draft_quote(uow, rep, deal.id or 0, lines, SETTINGS, NOW, TODAY,
                    discount=Decimal(discount))
    assert caught.value.key == "quote.zero_total"
    assert uow.quotes.open_for_deal(deal.id or 0, TODAY) == []


@pytest.mark.parametrize(
    ("lines", "extra", "key"),
    [
        ([], {}, "quote.no_lines"),
        ([_line("0", "Server", "5000")], {}, "parse.quantity"),
        ([_line("1", "Server", "-1")], {}, "parse.amount"),
        ([_line("1", "  ", "10")], {}, "quote.bad_item"),
        ([_line("1", "Server", "10")], {"discount": Decimal(101)}, "parse.percent"),
        ([_line("1", "Server", "10")], {"tax": Decimal(-1)}, "parse.percent"),
        ([_line("1", "Server", "10")], {"valid_until": TODAY - timedelta(days=1)},
         "quote.valid_in_past"),
    ],
)
def test_draft_refuses_bad_input(
    uow: FakeUnitOfWork, rep: User, lines: list[LineInput], extra: dict[str, Any], key: str
) -> None:
    deal = given_deal(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        draft_quote(uow, rep, deal.id or 0, lines, SETTINGS, NOW, TODAY, **extra)
    assert caught.value.key == key


def test_quote_on_a_closed_deal_is_refused(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    win_deal(uow, rep, deal.id or 0, NOW)
    with pytest.raises(Conflict) as caught:
        draft_quote(uow, rep, deal.id or 0, [_line("1", "Server", "10")], SETTINGS, NOW, TODAY)
    assert caught.value.key == "deal.closed"


def test_rep_cannot_quote_on_another_reps_deal(uow: FakeUnitOfWork, rep: User) -> None:
    rep2 = add_person(uow, "rep2", Role.REP, "east")
    deal = given_deal(uow, rep)
    with pytest.raises(Forbidden):
        draft_quote(uow, rep2, deal.id or 0, [_line("1", "Server", "10")], SETTINGS, NOW, TODAY)


# --------------------------------------------------------------------------- approval rule


def test_discount_above_the_threshold_waits_for_approval(uow: FakeUnitOfWork, rep: User) -> None:
    above = SETTINGS.approval_discount + Decimal("0.5")
    quote = _draft(uow, rep, str(above))
    assert quote.status == QuoteStatus.PENDING
    assert uow.events == [QuoteNeedsApproval(quote.id or 0, quote.deal_id, rep.id or 0, "east",
                                             above, quote.total, "CNY")]


def test_discount_exactly_at_the_threshold_is_a_draft(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _draft(uow, rep, str(SETTINGS.approval_discount))
    assert quote.status == QuoteStatus.DRAFT
    assert uow.events == []


def test_manager_of_the_team_approves(uow: FakeUnitOfWork, rep: User, mgr: User) -> None:
    quote = _draft(uow, rep, "20")
    uow.events.clear()
    approve_quote(uow, mgr, quote.id or 0, LATER, TODAY)
    assert (quote.status, quote.decided_by, quote.decided_at) == (QuoteStatus.APPROVED,
                                                                  mgr.id, LATER)
    assert uow.events == [QuoteApproved(quote.id or 0, rep.id or 0, mgr.id or 0)]


def test_manager_rejects_with_a_reason(uow: FakeUnitOfWork, rep: User, mgr: User) -> None:
    quote = _draft(uow, rep, "20")
    uow.events.clear()
    reject_quote(uow, mgr, quote.id or 0, " too deep ", LATER, TODAY)
    assert (quote.status, quote.decision_note) == (QuoteStatus.REJECTED, "too deep")
    assert uow.events == [QuoteRejected(quote.id or 0, rep.id or 0, mgr.id or 0, "too deep")]


def test_reject_needs_a_reason(uow: FakeUnitOfWork, rep: User, mgr: User) -> None:
    quote = _draft(uow, rep, "20")
    with pytest.raises(InvalidInput) as caught:
        reject_quote(uow, mgr, quote.id or 0, "  ", LATER, TODAY)
    assert caught.value.key == "quote.reason_required"
    assert quote.status == QuoteStatus.PENDING


def test_rep_cannot_approve(uow: FakeUnitOfWork, rep: User) -> None:
    rep2 = add_person(uow, "rep2", Role.REP, "east")
    quote = _draft(uow, rep, "20")
    for actor in (rep, rep2):
        with pytest.raises(Forbidden) as caught:
            approve_quote(uow, actor, quote.id or 0, LATER, TODAY)
        assert caught.value.key == "access.role"
    assert quote.status == QuoteStatus.PENDING


def test_manager_of_another_team_cannot_approve(uow: FakeUnitOfWork, rep: User) -> None:
    west = add_person(uow, "westmgr", Role.MANAGER, "west")
    quote = _draft(uow, rep, "20")
    with pytest.raises(Forbidden):
        approve_quote(uow, west, quote.id or 0, LATER, TODAY)
    with pytest.raises(Forbidden):
        reject_quote(uow, west, quote.id or 0, "no", LATER, TODAY)
    assert quote.status == QuoteStatus.PENDING


def test_manager_cannot_approve_an_own_quote(uow: FakeUnitOfWork, mgr: User) -> None:
    quote = _draft(uow, mgr, "20")
    with pytest.raises(Forbidden) as caught:
        approve_quote(uow, mgr, quote.id or 0, LATER, TODAY)
    assert caught.value.key == "quote.own_approval"
    assert quote.status == QuoteStatus.PENDING


def test_quote_not_pending_cannot_be_approved_or_rejected(
    uow: FakeUnitOfWork, rep: User, mgr: User
) -> None:
    draft = _draft(uow, rep, "5")
    with pytest.raises(Conflict) as caught:
        approve_quote(uow, mgr, draft.id or 0, LATER, TODAY)
    assert caught.value.key == "quote.not_pending"
    pending = _draft(uow, rep, "20")
    approve_quote(uow, mgr, pending.id or 0, LATER, TODAY)
    with pytest.raises(Conflict):
        reject_quote(uow, mgr, pending.id or 0, "changed my mind", LATER, TODAY)
    assert pending.status == QuoteStatus.APPROVED


def test_expired_pending_quote_cannot_be_approved(
    uow: FakeUnitOfWork, rep: User, mgr: User
) -> None:
    quote = _draft(uow, rep, "20")
    with pytest.raises(Conflict) as caught:
        approve_quote(uow, mgr, quote.id or 0, LATER, quote.valid_until + timedelta(days=1))
    assert caught.value.key == "quote.expired"


# --------------------------------------------------------------------------- acceptance


def test_expired_quote_cannot_be_accepted(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _draft(uow, rep)
    day_after = quote.valid_until + timedelta(days=1)
    with pytest.raises(Conflict) as caught:
        accept_quote(uow, rep, quote.id or 0, SETTINGS, LATER, day_after)
    assert caught.value.key == "quote.expired"
    assert quote.status == QuoteStatus.DRAFT


def test_pending_quote_cannot_be_accepted(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _draft(uow, rep, "20")
    with pytest.raises(Conflict) as caught:
        accept_quote(uow, rep, quote.id or 0, SETTINGS, LATER, TODAY)
    assert caught.value.key == "quote.awaiting_approval"


def test_rejected_quote_cannot_be_accepted(uow: FakeUnitOfWork, rep: User, mgr: User) -> None:
    quote = _draft(uow, rep, "20")
    reject_quote(uow, mgr, quote.id or 0, "too deep", LATER, TODAY)
    with pytest.raises(Conflict) as caught:
        accept_quote(uow, rep, quote.id or 0, SETTINGS, LATER, TODAY)
    assert caught.value.key == "quote.not_open"


def test_withdrawn_quote_cannot_be_withdrawn_again(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _draft(uow, rep)
    withdraw_quote(uow, rep, quote.id or 0, "  ", LATER)
    assert (quote.status, quote.decision_note) == (QuoteStatus.WITHDRAWN, None)
    with pytest.raises(Conflict) as caught:
        withdraw_quote(uow, rep, quote.id or 0, "again", LATER)
    assert caught.value.key == "quote.not_open"

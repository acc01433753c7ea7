"""Accepting a quote: an order with lines and installments, the quote accepted, the deal won."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.deals import lose_deal, win_deal
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.events import DealWon, OrderCreated
from domain.model.deals import DealStatus
from domain.model.orders import Order
from domain.model.quotes import LineInput, Quote, QuoteStatus
from domain.model.users import Role, User
from domain.money import Money
from domain.orders import accept_quote
from domain.plans import Trigger
from domain.quotes import approve_quote, draft_quote
from domain.settings import Settings
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal

SETTINGS = Settings()
SIGNED = NOW + timedelta(days=2)
SIGN_DAY = TODAY + timedelta(days=2)


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


def _quote(uow: FakeUnitOfWork, rep: User, *, amount: str | None = None,
           discount: str = "10") -> Quote:
    deal = given_deal(uow, rep, amount=amount)
    lines = [LineInput(Decimal(10), "Server", Money(Decimal(5000), "CNY")),
             LineInput(Decimal(2), "Rack rail", Money(Decimal("199.99"), "CNY"))]
    quote = draft_quote(uow, rep, deal.id or 0, lines, SETTINGS, NOW, TODAY,
                        discount=Decimal(discount))
    uow.events.clear()
    return quote


def test_accept_makes_an_order_with_lines_and_the_default_plan(
    uow: FakeUnitOfWork, rep: User
) -> None:
    quote = _quote(uow, rep)
    order = accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    assert uow.stored(Order) == [order]
    assert order.number == "O-1"
    assert (order.quote_id, order.deal_id, order.owner_id, order.team) == (
        quote.id, quote.deal_id, rep.id, "east")
    assert (order.total, order.currency, order.signed_on) == (quote.total, "CNY", SIGN_DAY)
    assert (order.discount_pct, order.tax_pct) == (quote.discount_pct, quote.tax_pct)
    assert [(li.position, li.item, li.quantity, li.unit_price) for li in order.lines] == [
        (1, "Server", Decimal(10), Decimal(5000)), (2, "Rack rail", Decimal(2),
                                                    Decimal("199.99"))]
    assert order.plan == SETTINGS.plans["standard"]  # the first named plan is the default
    assert [(i.seq, i.percent, i.trigger) for i in order.installments] == [
        (1, Decimal(30), Trigger.SIGNING), (2, Decimal(60), Trigger.DELIVERY),
        (3, Decimal(10), Trigger.ACCEPTANCE)]
    assert sum(i.amount for i in order.installments) == order.total


def test_accept_marks_the_quote_accepted_and_the_deal_won(
    uow: FakeUnitOfWork, rep: User
) -> None:
    quote = _quote(uow, rep)
    order = accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    deal = uow.deals.get(quote.deal_id)
    assert deal is not None
    assert quote.status == QuoteStatus.ACCEPTED
    assert quote.decided_at == SIGNED
    assert (deal.status, deal.probability, deal.closed_at) == (DealStatus.WON, 100, SIGNED)
    assert uow.stage_changes[-1].to_stage == "won"
    assert uow.events == [
        DealWon(deal.id or 0, rep.id or 0, "east", deal.title, deal.amount, "CNY"),
        OrderCreated(order.id or 0, deal.id or 0, rep.id or 0, order.total, "CNY"),
    ]


def test_accept_with_net30_makes_one_installment_with_terms(
    uow: FakeUnitOfWork, rep: User
) -> None:
    quote = _quote(uow, rep)
    order = accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY, plan="net30")
    [only] = order.installments
    assert (only.percent, only.amount, only.trigger, only.net_days) == (
        Decimal(100), order.total, Trigger.DELIVERY, 30)


def test_accept_with_inline_plan_adds_up_to_the_total(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _quote(uow, rep)
    order = accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY,
                         plan="33.33/33.33/33.34", signed_on=TODAY)
    assert order.signed_on == TODAY
    assert sum(i.amount for i in order.installments) == order.total


def test_accept_with_a_bad_plan_changes_nothing(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _quote(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY, plan="30/60")
    assert caught.value.key == "plan.not_100"
    assert quote.status == QuoteStatus.DRAFT
    assert uow.stored(Order) == []
    assert uow.events == []


def test_signing_date_in_the_future_is_refused(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _quote(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY,
                     signed_on=SIGN_DAY + timedelta(days=1))
    assert caught.value.key == "order.signed_in_future"


def test_approved_quote_can_be_accepted(uow: FakeUnitOfWork, rep: User) -> None:
    mgr = add_person(uow, "mgr", Role.MANAGER, "east")
    quote = _quote(uow, rep, discount="25")
    approve_quote(uow, mgr, quote.id or 0, NOW, TODAY)
    order = accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    assert order.discount_pct == Decimal(25)
    assert quote.decided_at == NOW  # the approval time is kept


def test_accepted_quote_cannot_be_accepted_again(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _quote(uow, rep)
    accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    with pytest.raises(Conflict) as caught:
        accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    assert caught.value.key == "quote.not_open"
    assert len(uow.stored(Order)) == 1


def test_quote_of_a_closed_deal_cannot_be_accepted(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _quote(uow, rep)
    win_deal(uow, rep, quote.deal_id, NOW)
    with pytest.raises(Conflict) as caught:
        accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    assert caught.value.key == "deal.closed"


def test_deal_with_accepted_quote_is_won_not_lost(uow: FakeUnitOfWork, rep: User) -> None:
    quote = _quote(uow, rep)
    accept_quote(uow, rep, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    with pytest.raises(Conflict):
        lose_deal(uow, rep, quote.deal_id, "too late", SIGNED, SIGN_DAY)


def test_rep_cannot_accept_another_reps_quote(uow: FakeUnitOfWork, rep: User) -> None:
    rep2 = add_person(uow, "rep2", Role.REP, "east")
    quote = _quote(uow, rep)
    with pytest.raises(Forbidden):
        accept_quote(uow, rep2, quote.id or 0, SETTINGS, SIGNED, SIGN_DAY)
    assert quote.status == QuoteStatus.DRAFT

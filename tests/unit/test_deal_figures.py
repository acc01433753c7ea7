"""A deal is worth its latest quote until someone types an amount, and its signed order once won;
it counts as won on the day the order was signed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.corrections import correct
from domain.errors import Conflict
from domain.events import DealWon
from domain.model.deals import AmountSource, Deal
from domain.model.quotes import LineInput, Quote
from domain.model.users import Role, User
from domain.money import Money
from domain.orders import accept_quote, signing_instant
from domain.quotes import draft_quote, reject_quote, withdraw_quote
from domain.settings import Settings
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal

SETTINGS = Settings()


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP)


def _quote(uow: FakeUnitOfWork, rep: User, deal: Deal, price: str, *,
           discount: str = "0") -> Quote:
    return draft_quote(uow, rep, deal.id or 0, [LineInput(Decimal(1), "Server",
                                                          Money(Decimal(price), "CNY"))],
                       SETTINGS, NOW, TODAY, tax=Decimal(0), discount=Decimal(discount))


def _figure(deal: Deal) -> tuple[Decimal | None, AmountSource | None, int | None]:
    return deal.amount, deal.amount_source, deal.amount_ref


def test_an_open_deal_is_worth_its_latest_quote(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep, amount="120000")
    first = _quote(uow, rep, deal, "7155")
    assert _figure(deal) == (Decimal(7155), AmountSource.QUOTE, first.id)
    second = _quote(uow, rep, deal, "9000")
    assert _figure(deal) == (Decimal(9000), AmountSource.QUOTE, second.id)


def test_an_amount_typed_after_the_quote_holds_until_the_next_quote(
        uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    _quote(uow, rep, deal, "7155")
    correct(uow, rep, "deal", deal.id or 0, {"amount": Money(Decimal(8000), "CNY")}, SETTINGS)
    assert _figure(deal) == (Decimal(8000), AmountSource.TYPED, None)
    third = _quote(uow, rep, deal, "7500")
    assert _figure(deal) == (Decimal(7500), AmountSource.QUOTE, third.id)


def test_a_withdrawn_or_rejected_latest_quote_gives_way_to_the_one_still_open(
        uow: FakeUnitOfWork, rep: User) -> None:
    manager = add_person(uow, "mgr", Role.MANAGER)
    deal = given_deal(uow, rep)
    first = _quote(uow, rep, deal, "10000")
    second = _quote(uow, rep, deal, "8000")
    withdraw_quote(uow, rep, second.id or 0, "typo", NOW)
    assert _figure(deal) == (Decimal(10000), AmountSource.QUOTE, first.id)
    deep = _quote(uow, rep, deal, "9000", discount="30")  # waits for approval
    assert deal.amount == Decimal(6300)
    reject_quote(uow, manager, deep.id or 0, "too deep", NOW, TODAY)
    assert _figure(deal) == (Decimal(10000), AmountSource.QUOTE, first.id)


def test_the_last_quote_rejected_leaves_its_figure_as_the_best_known(
        uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep, amount="50000")
    only = _quote(uow, rep, deal, "4000")
    withdraw_quote(uow, rep, only.id or 0, "", NOW)
    assert _figure(deal) == (Decimal(4000), AmountSource.QUOTE, only.id)


def test_a_won_deal_is_worth_its_order_and_counts_on_the_signing_day(
        uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep, amount="120000")
    quote = _quote(uow, rep, deal, "7155")
    signed = TODAY - timedelta(days=39)  # 2026-10-15
    order = accept_quote(uow, rep, quote.id or 0, SETTINGS, NOW, TODAY, signed_on=signed)
    assert _figure(deal) == (order.total, AmountSource.ORDER, order.id)
    # Noon of the signing day in the signer's zone (Asia/Shanghai, UTC+8).
    assert deal.closed_at == datetime(2026, 10, 15, 4, 0, tzinfo=UTC)
    won = [e for e in uow.events if isinstance(e, DealWon)]
    assert [(e.deal_id, e.amount) for e in won] == [(deal.id, Decimal(7155))]
    with pytest.raises(Conflict) as refused:
        correct(uow, rep, "deal", deal.id or 0, {"amount": Money(Decimal(1), "CNY")}, SETTINGS)
    assert refused.value.key == "edit.amount_from_order"


def test_an_order_signed_today_counts_as_won_now() -> None:
    assert signing_instant(TODAY, TODAY, NOW, "Asia/Shanghai") == NOW
    assert signing_instant(date(2026, 11, 1), TODAY, NOW, "America/New_York") == datetime(
        2026, 11, 1, 17, 0, tzinfo=UTC)  # noon in New York, after the clocks went back

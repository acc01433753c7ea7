"""Deliveries: partial or complete hand-overs, never beyond what was ordered."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.deliveries import record_delivery
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.model.deliveries import DeliveryInput
from domain.model.orders import Order
from domain.model.users import Role, User
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_order


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


@pytest.fixture
def order(uow: FakeUnitOfWork, rep: User) -> Order:
    return given_order(uow, rep, lines=(("10", "Server", "1000"), ("5", "Rack rail", "200"),
                                        ("2", "Rack frame", "900")))


def _deliver(uow: FakeUnitOfWork, actor: User, order: Order, *wanted: tuple[str, str]) -> None:
    record_delivery(uow, actor, order.id or 0,
                    [DeliveryInput(item, Decimal(qty)) for item, qty in wanted], NOW, TODAY)


@pytest.mark.parametrize(("text", "position"), [("#2", 2), ("3", 3), ("server", 1),
                                                 ("RACK RAIL", 2), ("frame", 3)])
def test_find_line_by_position_name_or_unique_part(
    order: Order, text: str, position: int
) -> None:
    assert order.find_line(text).position == position


def test_find_line_refuses_an_ambiguous_part(order: Order) -> None:
    with pytest.raises(InvalidInput) as caught:
        order.find_line("rack")
    assert caught.value.key == "delivery.ambiguous_item"


def test_find_line_refuses_an_unknown_item(order: Order) -> None:
    with pytest.raises(InvalidInput) as caught:
        order.find_line("printer")
    assert caught.value.key == "delivery.unknown_item"
    assert caught.value.params["items"] == "#1 Server; #2 Rack rail; #3 Rack frame"


def test_partial_delivery_counts_against_the_line(
    uow: FakeUnitOfWork, rep: User, order: Order
) -> None:
    _deliver(uow, rep, order, ("Server", "4"), ("#1", "2"))
    server = order.lines[0]
    assert order.delivered(server) == Decimal(6)
    assert order.to_deliver(server) == Decimal(4)
    assert order.has_delivery and not order.fully_delivered
    [delivery] = order.deliveries
    assert delivery.id is not None
    assert [(d.position, d.quantity) for d in delivery.lines] == [(1, Decimal(6))]
    assert uow.locked_customers == [order.customer_id]


def test_delivering_more_than_is_left_is_refused(
    uow: FakeUnitOfWork, rep: User, order: Order
) -> None:
    _deliver(uow, rep, order, ("Server", "8"))
    with pytest.raises(Conflict) as caught:
        _deliver(uow, rep, order, ("Server", "3"))
    assert caught.value.key == "delivery.too_much"
    assert caught.value.params == {"ref": order.number, "item": "Server", "qty": "3",
                                   "ordered": "10", "delivered": "8", "left": "2"}
    assert len(order.deliveries) == 1


def test_delivering_everything_left_completes_the_order(
    uow: FakeUnitOfWork, rep: User, order: Order
) -> None:
    _deliver(uow, rep, order, ("Server", "4"))
    delivery = record_delivery(uow, rep, order.id or 0, None, NOW, TODAY)
    assert [(d.position, d.quantity) for d in delivery.lines] == [
        (1, Decimal(6)), (2, Decimal(5)), (3, Decimal(2))]
    assert order.fully_delivered
    with pytest.raises(Conflict) as caught:
        record_delivery(uow, rep, order.id or 0, None, NOW, TODAY)
    assert caught.value.key == "delivery.nothing_left"


@pytest.mark.parametrize(
    ("wanted", "on", "key"),
    [
        ([], TODAY, "delivery.no_lines"),
        ([DeliveryInput("Server", Decimal(0))], TODAY, "parse.quantity"),
        ([DeliveryInput("Server", Decimal(1))], TODAY + timedelta(days=1),
         "delivery.date_in_future"),
        ([DeliveryInput("Server", Decimal(1))], TODAY - timedelta(days=1),
         "delivery.before_signing"),
    ],
)
def test_bad_delivery_is_refused(
    uow: FakeUnitOfWork, rep: User, order: Order, wanted: list[DeliveryInput], on: date,
    key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        record_delivery(uow, rep, order.id or 0, wanted, NOW, TODAY,
                        delivered_on=on)
    assert caught.value.key == key
    assert order.deliveries == []


def test_finance_may_record_a_delivery(uow: FakeUnitOfWork, order: Order) -> None:
    fin = add_person(uow, "fin", Role.FINANCE, None)
    _deliver(uow, fin, order, ("Server", "1"))
    assert order.deliveries[0].recorded_by == fin.id


def test_another_rep_cannot_record_a_delivery(uow: FakeUnitOfWork, order: Order) -> None:
    rep2 = add_person(uow, "rep2", Role.REP, "east")
    with pytest.raises(Forbidden):
        _deliver(uow, rep2, order, ("Server", "1"))
    assert order.deliveries == []

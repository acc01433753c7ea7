"""Invoices: issued per installment or amount, numbered without gaps, never beyond the order."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.deliveries import record_delivery
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.events import InvoiceIssued
from domain.invoices import issue_invoice
from domain.model.deliveries import DeliveryInput
from domain.model.invoices import InvoiceStatus
from domain.model.orders import Order, OrderStatus
from domain.model.users import Role, User
from domain.money import Money
from domain.payments import record_payment
from domain.plans import due_date
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_order

# The order of every test: 10 x Server @ 1,000 + 5 x Rack @ 200 = 11,000.00, plan 30/60/10.
TOTAL = Decimal(11000)


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


@pytest.fixture
def fin(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "fin", Role.FINANCE, None)


@pytest.fixture
def order(uow: FakeUnitOfWork, rep: User) -> Order:
    return given_order(uow, rep)


def _deliver_all(uow: FakeUnitOfWork, actor: User, order: Order) -> None:
    record_delivery(uow, actor, order.id or 0, None, NOW, TODAY)


def test_first_invoice_bills_the_signing_installment(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    issued = issue_invoice(uow, fin, order.id or 0, NOW, TODAY)
    invoice = issued.invoice
    assert (invoice.number, invoice.year, invoice.seq) == ("INV-2026-0001", 2026, 1)
    assert (invoice.total, invoice.currency, invoice.installment_seq) == (Decimal(3300), "CNY", 1)
    assert (invoice.issued_on, invoice.due_on) == (TODAY, TODAY)
    assert (invoice.customer_id, invoice.owner_id, invoice.issued_by) == (
        order.customer_id, order.owner_id, fin.id)
    assert issued.credit_applied == 0
    assert invoice.status(TODAY) == InvoiceStatus.ISSUED
    assert uow.invoices.by_number("INV-2026-0001") is invoice
    assert uow.events == [InvoiceIssued(invoice.id or 0, invoice.number, order.id or 0,
                                        order.customer_id, order.owner_id, Decimal(3300), "CNY",
                                        TODAY)]


def test_invoice_numbers_have_no_gaps_and_restart_each_year(
    uow: FakeUnitOfWork, rep: User, fin: User
) -> None:
    first = given_order(uow, rep, plan="100")
    second = given_order(uow, rep, plan="100")
    third = given_order(uow, rep, plan="100")
    numbers = [issue_invoice(uow, fin, o.id or 0, NOW, TODAY).invoice.number
               for o in (first, second)]
    new_year = date(2027, 1, 4)
    numbers.append(issue_invoice(uow, fin, third.id or 0, NOW, new_year).invoice.number)
    assert numbers == ["INV-2026-0001", "INV-2026-0002", "INV-2027-0001"]


def test_only_finance_issues_invoices(uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    for actor in (rep, add_person(uow, "mgr", Role.MANAGER, "east")):
        with pytest.raises(Forbidden) as caught:
            issue_invoice(uow, actor, order.id or 0, NOW, TODAY)
        assert caught.value.key == "access.role"
    assert uow.invoices.of_order(order.id or 0) == []


def test_delivery_installment_waits_for_a_delivery(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    issue_invoice(uow, fin, order.id or 0, NOW, TODAY)
    with pytest.raises(Conflict) as caught:
        issue_invoice(uow, fin, order.id or 0, NOW, TODAY)
    assert caught.value.key == "invoice.waits_for_delivery"
    record_delivery(uow, fin, order.id or 0, [DeliveryInput("Server", Decimal(1))], NOW, TODAY)
    second = issue_invoice(uow, fin, order.id or 0, NOW, TODAY).invoice
    assert (second.installment_seq, second.total) == (2, Decimal(6600))


def test_acceptance_installment_waits_until_everything_is_delivered(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    record_delivery(uow, fin, order.id or 0, [DeliveryInput("Server", Decimal(1))], NOW, TODAY)
    with pytest.raises(Conflict) as caught:
        issue_invoice(uow, fin, order.id or 0, NOW, TODAY, installment=3)
    assert caught.value.key == "invoice.waits_for_acceptance"
    _deliver_all(uow, fin, order)
    assert issue_invoice(uow, fin, order.id or 0, NOW, TODAY,
                         installment=3).invoice.total == Decimal(1100)


def test_dated_installment_waits_for_its_date(uow: FakeUnitOfWork, rep: User, fin: User) -> None:
    order = given_order(uow, rep, plan="50@signing/50@2026-12-15")
    issue_invoice(uow, fin, order.id or 0, NOW, TODAY)
    with pytest.raises(Conflict) as caught:
        issue_invoice(uow, fin, order.id or 0, NOW, date(2026, 12, 14))
    assert caught.value.key == "invoice.waits_for_date"
    invoice = issue_invoice(uow, fin, order.id or 0, NOW, date(2026, 12, 15)).invoice
    assert invoice.installment_seq == 2


def test_installment_is_invoiced_only_once(uow: FakeUnitOfWork, fin: User, order: Order) -> None:
    first = issue_invoice(uow, fin, order.id or 0, NOW, TODAY).invoice
    with pytest.raises(Conflict) as caught:
        issue_invoice(uow, fin, order.id or 0, NOW, TODAY, installment=1)
    assert caught.value.key == "invoice.installment_invoiced"
    assert caught.value.params["invoice"] == first.number


def test_unknown_installment_is_refused(uow: FakeUnitOfWork, fin: User, order: Order) -> None:
    with pytest.raises(InvalidInput) as caught:
        issue_invoice(uow, fin, order.id or 0, NOW, TODAY, installment=4)
    assert caught.value.key == "invoice.no_such_installment"
    assert caught.value.params["count"] == 3


def test_amount_invoice_never_exceeds_what_is_left(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    issue_invoice(uow, fin, order.id or 0, NOW, TODAY, amount=Money(Decimal(10000), "CNY"))
    with pytest.raises(Conflict) as caught:
        issue_invoice(uow, fin, order.id or 0, NOW, TODAY, amount=Money(Decimal("1000.01"),
                                                                        "CNY"))
    assert caught.value.key == "invoice.over_rest"
    issue_invoice(uow, fin, order.id or 0, NOW, TODAY, amount=Money(Decimal(1000), "CNY"))
    with pytest.raises(Conflict) as done:
        issue_invoice(uow, fin, order.id or 0, NOW, TODAY, amount=Money(Decimal(1), "CNY"))
    assert done.value.key == "invoice.fully_invoiced"
    invoices = uow.invoices.of_order(order.id or 0)
    assert sum(i.total for i in invoices) == TOTAL


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"amount": Money(Decimal(100), "USD")}, "invoice.currency_mismatch"),
        ({"amount": Money(Decimal(0), "CNY")}, "invoice.not_positive"),
        ({"amount": Money(Decimal(100), "CNY"), "installment": 1},
         "invoice.installment_or_amount"),
        ({"issued_on": TODAY + timedelta(days=1)}, "invoice.date_in_future"),
        ({"issued_on": TODAY - timedelta(days=1)}, "invoice.before_signing"),
        ({"due_on": TODAY - timedelta(days=1)}, "invoice.due_before_date"),
    ],
)
def test_bad_invoice_is_refused(
    uow: FakeUnitOfWork, fin: User, order: Order, extra: dict[str, Any], key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        issue_invoice(uow, fin, order.id or 0, NOW, TODAY, **extra)
    assert caught.value.key == key
    assert uow.invoices.of_order(order.id or 0) == []


def test_due_date_follows_the_plan_terms(uow: FakeUnitOfWork, rep: User, fin: User) -> None:
    net30 = given_order(uow, rep, plan="net30")
    _deliver_all(uow, fin, net30)
    invoice = issue_invoice(uow, fin, net30.id or 0, NOW, TODAY).invoice
    assert invoice.due_on == TODAY + timedelta(days=30)


def test_due_date_of_net_terms() -> None:
    assert due_date(date(2026, 11, 23), 30, False) == date(2026, 12, 23)
    assert due_date(date(2026, 11, 23), 45, True) == date(2027, 1, 14)  # Nov 30 + 45 days
    assert due_date(date(2027, 2, 3), 0, True) == date(2027, 2, 28)


def test_invoice_status_is_derived_from_payments_and_dates(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    invoice = issue_invoice(uow, fin, order.id or 0, NOW, TODAY,
                            due_on=TODAY + timedelta(days=10)).invoice
    later = TODAY + timedelta(days=11)
    assert invoice.status(TODAY) == InvoiceStatus.ISSUED
    assert invoice.status(later) == InvoiceStatus.OVERDUE
    record_payment(uow, fin, Money(Decimal(1000), "CNY"), NOW, TODAY,
                   invoice_number=invoice.number)
    assert invoice.status(TODAY) == InvoiceStatus.PARTLY_PAID
    assert invoice.outstanding == Decimal(2300)
    record_payment(uow, fin, Money(Decimal(2300), "CNY"), NOW, TODAY,
                   invoice_number=invoice.number)
    assert invoice.status(later) == InvoiceStatus.PAID


def test_order_status_moves_from_delivery_to_billing_to_collection(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    def status() -> OrderStatus:
        return order.position(uow.invoices.of_order(order.id or 0)).status

    assert status() == OrderStatus.TO_DELIVER_AND_BILL
    _deliver_all(uow, fin, order)
    assert status() == OrderStatus.TO_BILL
    invoice = issue_invoice(uow, fin, order.id or 0, NOW, TODAY, amount=Money(TOTAL, "CNY"))
    assert status() == OrderStatus.TO_COLLECT
    record_payment(uow, fin, Money(TOTAL, "CNY"), NOW, TODAY,
                   invoice_number=invoice.invoice.number)
    position = order.position(uow.invoices.of_order(order.id or 0))
    assert (position.status, position.outstanding, position.uninvoiced) == (
        OrderStatus.COMPLETED, 0, 0)

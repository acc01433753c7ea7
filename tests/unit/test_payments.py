"""Payments: allocated to invoices oldest due first, never over-allocated, the rest credit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.credit_notes import void_invoice
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.events import InvoiceVoided, PaymentReceived
from domain.invoices import issue_invoice
from domain.model.customers import Customer
from domain.model.invoices import Invoice, InvoiceStatus
from domain.model.orders import Order
from domain.model.payments import PaymentMethod, parse_method
from domain.model.users import Role, User
from domain.money import Money
from domain.payments import credit_of, record_payment
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_order


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


@pytest.fixture
def fin(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "fin", Role.FINANCE, None)


@pytest.fixture
def order(uow: FakeUnitOfWork, rep: User) -> Order:
    return given_order(uow, rep)  # 11,000.00 CNY, plan 30/60/10


def _invoice(uow: FakeUnitOfWork, fin: User, order: Order, amount: str,
             due_in_days: int = 0) -> Invoice:
    return issue_invoice(uow, fin, order.id or 0, NOW, TODAY, amount=Money(Decimal(amount), "CNY"),
                         due_on=TODAY + timedelta(days=due_in_days)).invoice


def _cny(amount: str) -> Money:
    return Money(Decimal(amount), "CNY")


@pytest.mark.parametrize(("text", "method"), [("支付宝", PaymentMethod.ALIPAY),
                                               ("Transfer", PaymentMethod.BANK),
                                               ("微信", PaymentMethod.WECHAT),
                                               ("cash", PaymentMethod.CASH)])
def test_parse_method_reads_english_and_chinese(text: str, method: PaymentMethod) -> None:
    assert parse_method(text) is method


def test_parse_method_refuses_an_unknown_method() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_method("bitcoin")
    assert caught.value.key == "payment.bad_method"


def test_payment_for_an_invoice_settles_it(uow: FakeUnitOfWork, fin: User, order: Order) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    recorded = record_payment(uow, fin, _cny("3300"), NOW, TODAY, invoice_number=invoice.number,
                              ref="BANK-001")
    payment = recorded.payment
    assert (payment.number, payment.amount, payment.ref, payment.invoice_id) == (
        "P-1", Decimal(3300), "BANK-001", invoice.id)
    assert recorded.settled == [(invoice, Decimal(3300))]
    assert (recorded.credit, recorded.customer_credit) == (0, 0)
    assert invoice.status(TODAY) == InvoiceStatus.PAID
    assert uow.events[-1] == PaymentReceived(payment.id or 0, order.customer_id, "Acme servers",
                                             order.owner_id, Decimal(3300), "CNY",
                                             (invoice.number,), Decimal(0))


def test_overpayment_of_an_invoice_becomes_credit(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    recorded = record_payment(uow, fin, _cny("5000"), NOW, TODAY, invoice_number=invoice.number)
    assert invoice.paid == Decimal(3300)  # never more than it asks for
    assert (recorded.credit, recorded.customer_credit) == (Decimal(1700), Decimal(1700))
    assert credit_of(uow, order.customer_id, "CNY") == Decimal(1700)


def test_customer_payment_settles_the_oldest_due_first(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    later = _invoice(uow, fin, order, "3000", due_in_days=30)
    sooner = _invoice(uow, fin, order, "2000", due_in_days=10)
    recorded = record_payment(uow, fin, _cny("2500"), NOW, TODAY, customer_id=order.customer_id)
    assert recorded.settled == [(sooner, Decimal(2000)), (later, Decimal(500))]
    assert (sooner.outstanding, later.outstanding) == (0, Decimal(2500))
    assert recorded.credit == 0


def test_credit_is_applied_to_the_next_invoice(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    first = _invoice(uow, fin, order, "1000")
    record_payment(uow, fin, _cny("1500"), NOW, TODAY, invoice_number=first.number)
    issued = issue_invoice(uow, fin, order.id or 0, NOW, TODAY, amount=_cny("2000"))
    assert issued.credit_applied == Decimal(500)
    assert issued.invoice.outstanding == Decimal(1500)
    assert credit_of(uow, order.customer_id, "CNY") == 0


def test_same_bank_reference_is_refused_twice(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    record_payment(uow, fin, _cny("100"), NOW, TODAY, invoice_number=invoice.number, ref="R-9")
    with pytest.raises(Conflict) as caught:
        record_payment(uow, fin, _cny("100"), NOW, TODAY, invoice_number=invoice.number,
                       ref=" R-9 ")
    assert caught.value.key == "payment.duplicate_ref"
    assert caught.value.params == {"ref": "R-9", "payment": "P-1"}
    assert invoice.paid == Decimal(100)


def test_only_finance_records_payments(uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    with pytest.raises(Forbidden):
        record_payment(uow, rep, _cny("100"), NOW, TODAY, customer_id=order.customer_id)


@pytest.mark.parametrize(
    ("amount", "extra", "key"),
    [
        ("100", {}, "payment.need_target"),
        ("100", {"invoice_number": "INV-2026-0001", "customer_id": 1}, "payment.need_target"),
        ("0", {"customer_id": 1}, "payment.not_positive"),
        ("100", {"customer_id": 1, "received_on": TODAY + timedelta(days=1)},
         "payment.date_in_future"),
        ("100", {"customer_id": 1, "ref": "x" * 65}, "field.too_long"),
    ],
)
def test_bad_payment_is_refused(
    uow: FakeUnitOfWork, fin: User, order: Order, amount: str, extra: dict[str, Any], key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        record_payment(uow, fin, _cny(amount), NOW, TODAY, **extra)
    assert caught.value.key == key


def test_payment_in_another_currency_than_the_invoice_is_refused(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    with pytest.raises(InvalidInput) as caught:
        record_payment(uow, fin, Money(Decimal(100), "USD"), NOW, TODAY,
                       invoice_number=invoice.number)
    assert caught.value.key == "payment.wrong_currency"
    with pytest.raises(InvalidInput) as customer:
        record_payment(uow, fin, Money(Decimal(100), "USD"), NOW, TODAY,
                       customer_id=order.customer_id)
    assert customer.value.key == "payment.wrong_currency_customer"
    assert invoice.paid == 0


def test_payment_from_a_customer_without_orders_is_refused(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    stranger = Customer(name="Initech", name_key="initech", owner_id=order.owner_id,
                        team="east", created_at=NOW)
    uow.customers.add(stranger)
    uow.flush()
    with pytest.raises(Conflict) as caught:
        record_payment(uow, fin, _cny("100"), NOW, TODAY, customer_id=stranger.id)
    assert caught.value.key == "payment.no_orders"


def test_settled_invoice_takes_no_more_payments(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    invoice = _invoice(uow, fin, order, "100")
    record_payment(uow, fin, _cny("100"), NOW, TODAY, invoice_number=invoice.number)
    with pytest.raises(Conflict) as caught:
        record_payment(uow, fin, _cny("100"), NOW, TODAY, invoice_number=invoice.number)
    assert caught.value.key == "payment.invoice_settled"


# --------------------------------------------------------------------------- credit notes


def test_void_issues_a_credit_note_and_turns_payments_into_credit(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    payment = record_payment(uow, fin, _cny("1000"), NOW, TODAY,
                             invoice_number=invoice.number).payment
    voided = void_invoice(uow, fin, invoice.number, " wrong amount ", NOW, TODAY)
    note = voided.credit_note
    assert (note.number, note.amount, note.reason, note.invoice_id) == (
        "CN-2026-0001", Decimal(3300), "wrong amount", invoice.id)
    assert voided.released == Decimal(1000)
    assert invoice.status(TODAY) == InvoiceStatus.VOID
    assert (invoice.paid, payment.unallocated) == (0, Decimal(1000))
    assert credit_of(uow, order.customer_id, "CNY") == Decimal(1000)
    assert uow.events[-1] == InvoiceVoided(invoice.id or 0, invoice.number, note.number,
                                           order.owner_id, "wrong amount", Decimal(1000), "CNY")


def test_voided_invoice_frees_its_amount_to_invoice_again(
    uow: FakeUnitOfWork, fin: User, order: Order
) -> None:
    invoice = _invoice(uow, fin, order, "11000")
    void_invoice(uow, fin, invoice.number, "wrong customer name", NOW, TODAY)
    again = _invoice(uow, fin, order, "11000")
    assert again.number == "INV-2026-0002"


def test_invoice_is_voided_only_once(uow: FakeUnitOfWork, fin: User, order: Order) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    void_invoice(uow, fin, invoice.number, "typo", NOW, TODAY)
    with pytest.raises(Conflict) as caught:
        void_invoice(uow, fin, invoice.number, "again", NOW, TODAY)
    assert caught.value.key == "void.already"
    assert len(invoice.credit_notes) == 1


def test_void_needs_a_reason_and_finance(
    uow: FakeUnitOfWork, rep: User, fin: User, order: Order
) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    with pytest.raises(InvalidInput) as caught:
        void_invoice(uow, fin, invoice.number, "  ", NOW, TODAY)
    assert caught.value.key == "void.reason_required"
    with pytest.raises(Forbidden):
        void_invoice(uow, rep, invoice.number, "typo", NOW, TODAY)
    assert not invoice.is_void


def test_void_invoice_takes_no_payment(uow: FakeUnitOfWork, fin: User, order: Order) -> None:
    invoice = _invoice(uow, fin, order, "3300")
    void_invoice(uow, fin, invoice.number, "typo", NOW, TODAY)
    with pytest.raises(Conflict) as caught:
        record_payment(uow, fin, _cny("100"), NOW, TODAY, invoice_number=invoice.number)
    assert caught.value.key == "payment.invoice_void"


# --------------------------------------------------------------------------- property


@settings(max_examples=40, deadline=None)
@given(
    invoices=st.lists(st.integers(min_value=1, max_value=500_000), min_size=1, max_size=4),
    payments=st.lists(st.integers(min_value=1, max_value=600_000), min_size=1, max_size=5),
)
def test_payments_are_never_over_allocated(invoices: list[int], payments: list[int]) -> None:
    uow = FakeUnitOfWork()
    rep = add_person(uow, "rep", Role.REP)
    fin = add_person(uow, "fin", Role.FINANCE, None)
    total_cents = sum(invoices)
    order = given_order(uow, rep, plan="100", lines=(("1", "Service",
                                                      str(Decimal(total_cents) / 100)),))
    issued = [_invoice(uow, fin, order, str(Decimal(c) / 100), due_in_days=i)
              for i, c in enumerate(invoices)]
    received = [record_payment(uow, fin, Money(Decimal(c) / 100, "CNY"), NOW, TODAY,
                               customer_id=order.customer_id).payment for c in payments]
    for invoice in issued:
        assert 0 <= invoice.paid <= invoice.total
    for payment in received:
        assert 0 <= payment.allocated <= payment.amount
    paid_in = sum((p.amount for p in received), Decimal(0))
    settled = sum((i.paid for i in issued), Decimal(0))
    assert settled + credit_of(uow, order.customer_id, "CNY") == paid_in
    assert settled == min(paid_in, Decimal(total_cents) / 100)

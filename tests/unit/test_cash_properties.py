"""Random sequences of orders, deliveries, invoices, payments and voids in CNY, USD and JPY.

Whatever the sequence, for every customer and currency: payments = allocations + credit;
every invoice's outstanding = total - allocations - credit notes, never negative; no order
is invoiced or delivered beyond itself; invoice numbers have no gaps; amounts keep the
currency's decimals (no cent lost); a refused command changes nothing.

The `Scenario` driver runs on the in-memory unit of work here and on both databases in
tests/integration/test_cash_properties.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.credit_notes import void_invoice
from domain.deliveries import record_delivery
from domain.errors import DomainError, InvalidInput
from domain.invoices import issue_invoice
from domain.model.credit_notes import CreditNote
from domain.model.customers import Customer
from domain.model.deals import Deal
from domain.model.deliveries import DeliveryInput
from domain.model.invoices import Invoice, InvoiceStatus
from domain.model.orders import Order
from domain.model.payments import Payment
from domain.model.quotes import LineInput
from domain.model.users import Role, User
from domain.money import Money, minor_units, quantize
from domain.orders import accept_quote
from domain.payments import credit_of, record_payment
from domain.quotes import draft_quote
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from handlers.unit_of_work import ChatUnitOfWork
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person

T = TypeVar("T")
CURRENCIES = ("CNY", "USD", "JPY")
PLANS = ("100", "30/60/10", "50/50 net30", "33.33/33.33/33.34", "net45 eom",
         "40@signing/60@2026-11-20", "50@signing/50@2027-01-10")
SETTINGS = Settings()
Run = Callable[[Callable[[ChatUnitOfWork], T]], T]


def money(minor: int, currency: str) -> Money:
    """`minor` units of the currency: cents, or whole yen."""
    return Money(Decimal(minor).scaleb(-minor_units(currency)), currency)


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class NewOrder:
    customer: int
    currency: str
    quantity: int
    price: int
    plan: str


@dataclass(frozen=True)
class Deliver:
    order: int
    quantity: int | None  # None: everything left


@dataclass(frozen=True)
class Bill:
    order: int
    installment: int | None
    amount: int | None


@dataclass(frozen=True)
class Pay:
    to_invoice: bool
    target: int
    amount: int
    other_currency: bool
    ref: str | None


@dataclass(frozen=True)
class Void:
    invoice: int


Operation = NewOrder | Deliver | Bill | Pay | Void

_bills = st.builds(Bill, st.integers(0, 5), st.none() | st.integers(1, 4),
                  st.none() | st.integers(1, 3_000_000))
_pays = st.builds(Pay, st.booleans(), st.integers(0, 7), st.integers(1, 4_000_000),
                  st.booleans(), st.none() | st.sampled_from(["B-1", "B-2", "B-3"]))
# Invoices and payments come more often than orders, as in real books.
operations = st.one_of(
    st.builds(NewOrder, st.integers(0, 1), st.sampled_from(CURRENCIES), st.integers(1, 5),
              st.integers(1, 2_000_000), st.sampled_from(PLANS)),
    st.builds(Deliver, st.integers(0, 5), st.none() | st.integers(1, 3)),
    _bills, _bills, _pays, _pays, _pays,
    st.builds(Void, st.integers(0, 7)),
)


# --------------------------------------------------------------------------- the driver


@dataclass
class Scenario:
    """Plays operations through the use cases, one unit of work each, and checks the books."""

    run: Run[Any]
    rep_id: int
    fin_id: int
    customers: list[int]
    today: date = TODAY
    now: datetime = NOW
    orders: list[int] = field(default_factory=list)
    invoices: list[str] = field(default_factory=list)
    payments: list[int] = field(default_factory=list)
    received: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)

    def _actor(self, uow: UnitOfWork, user_id: int) -> User:
        user = uow.users.get(user_id)
        assert user is not None
        return user

    def play(self, op: Operation) -> None:
        before = self.run(self.fingerprint)
        try:
            self._apply(op)
        except DomainError as refusal:
            self.refused.append(refusal.key)
            assert self.run(self.fingerprint) == before, f"{refusal.key} changed the books"
        self.run(self.check)

    def _apply(self, op: Operation) -> None:
        if isinstance(op, NewOrder):
            self.orders.append(self.run(lambda uow: self.new_order(uow, op)))
        elif isinstance(op, Deliver) and self.orders:
            order_id = self.orders[op.order % len(self.orders)]
            self.run(lambda uow: record_delivery(
                uow, self._actor(uow, self.rep_id), order_id,
                None if op.quantity is None else [DeliveryInput("#1", Decimal(op.quantity))],
                self.now, self.today))
        elif isinstance(op, Bill) and self.orders:
            self.invoices.append(self.run(lambda uow: self.bill(uow, op)))
        elif isinstance(op, Pay):
            self.pay(op)
        elif isinstance(op, Void) and self.invoices:
            number = self.invoices[op.invoice % len(self.invoices)]
            self.run(lambda uow: void_invoice(uow, self._actor(uow, self.fin_id), number,
                                              "random void", self.now, self.today))

    def new_order(self, uow: UnitOfWork, op: NewOrder) -> int:
        rep = self._actor(uow, self.rep_id)
        customer_id = self.customers[op.customer]
        deal = Deal(title="Deal", customer_id=customer_id, owner_id=rep.id or 0,
                    team=rep.team, stage=SETTINGS.first_stage.key, probability=10,
                    currency=op.currency, created_at=self.now, last_activity_at=self.now)
        uow.deals.add(deal)
        uow.flush()
        quote = draft_quote(uow, rep, deal.id or 0,
                            [LineInput(Decimal(op.quantity), "Server",
                                       money(op.price, op.currency))],
                            SETTINGS, self.now, self.today)
        order = accept_quote(uow, rep, quote.id or 0, SETTINGS, self.now, self.today,
                             plan=op.plan)
        return order.id or 0

    def bill(self, uow: UnitOfWork, op: Bill) -> str:
        order_id = self.orders[op.order % len(self.orders)]
        order = uow.orders.get(order_id)
        assert order is not None
        amount = None if op.amount is None else money(op.amount, order.currency)
        issued = issue_invoice(uow, self._actor(uow, self.fin_id), order_id, self.now,
                               self.today, installment=None if amount else op.installment,
                               amount=amount)
        return issued.invoice.number

    def pay(self, op: Pay) -> None:
        if op.to_invoice and not self.invoices:
            return

        def record(uow: UnitOfWork) -> tuple[int, int, str, Decimal]:
            fin = self._actor(uow, self.fin_id)
            if op.to_invoice:
                number = self.invoices[op.target % len(self.invoices)]
                invoice = uow.invoices.by_number(number)
                assert invoice is not None
                expected = invoice.currency
                target: dict[str, Any] = {"invoice_number": number}
            else:
                customer_id = self.customers[op.target % len(self.customers)]
                currencies = uow.ledgers.currencies(customer_id)
                expected = min(currencies) if currencies else "CNY"
                target = {"customer_id": customer_id}
            currency = expected
            if op.other_currency:
                currency = CURRENCIES[(CURRENCIES.index(expected) + 1) % len(CURRENCIES)]
            try:
                done = record_payment(uow, fin, money(op.amount, currency), self.now,
                                      self.today, ref=op.ref, **target)
            except InvalidInput as refusal:
                if op.other_currency and op.to_invoice:
                    assert refusal.key == "payment.wrong_currency"
                raise
            assert not (op.other_currency and op.to_invoice), "paid in the wrong currency"
            payment = done.payment
            return payment.id or 0, payment.customer_id, payment.currency, payment.amount

        payment_id, customer_id, currency, amount = self.run(record)
        self.payments.append(payment_id)
        key = (customer_id, currency)
        self.received[key] = self.received.get(key, Decimal(0)) + amount

    # ----------------------------------------------------------------------- the books

    def _all(self, uow: UnitOfWork) -> tuple[list[Order], list[Invoice], list[Payment]]:
        orders = [o for o in (uow.orders.get(i) for i in self.orders) if o is not None]
        invoices = [i for o in orders for i in uow.invoices.of_order(o.id or 0)]
        payments = [p for p in (uow.payments.get(i) for i in self.payments) if p is not None]
        return orders, invoices, payments

    def fingerprint(self, uow: UnitOfWork) -> Any:
        orders, invoices, payments = self._all(uow)
        return (
            [(o.id, len(o.deliveries), [o.delivered(line) for line in o.lines]) for o in orders],
            [(i.number, i.total, i.paid, i.credited, len(i.allocations)) for i in invoices],
            [(p.id, p.amount, p.allocated, len(p.allocations)) for p in payments],
        )

    def check(self, uow: UnitOfWork) -> None:
        orders, invoices, payments = self._all(uow)
        assert len(payments) == len(self.payments)
        for order in orders:
            assert sum(i.amount for i in order.installments) == order.total
            billed = [i for i in invoices if i.order_id == order.id and not i.is_void]
            assert sum(i.total for i in billed) <= order.total
            assert all(0 <= order.delivered(line) <= line.quantity for line in order.lines)
            position = order.position(invoices)
            assert 0 <= position.paid <= position.invoiced <= order.total
        for invoice in invoices:
            assert invoice.outstanding == invoice.total - invoice.paid - invoice.credited
            assert 0 <= invoice.outstanding <= invoice.total
            assert invoice.paid >= 0
            if invoice.is_void:
                assert (invoice.paid, invoice.outstanding) == (0, 0)
                assert invoice.status(self.today) == InvoiceStatus.VOID
            for allocation in invoice.allocations:
                assert allocation.amount == quantize(allocation.amount, invoice.currency)
        for payment in payments:
            assert 0 <= payment.allocated <= payment.amount
        for customer_id in self.customers:
            for currency in CURRENCIES:
                mine = [p for p in payments
                        if p.customer_id == customer_id and p.currency == currency]
                received = sum((p.amount for p in mine), Decimal(0))
                allocated = sum((p.allocated for p in mine), Decimal(0))
                settled = sum((i.paid for i in invoices
                               if i.customer_id == customer_id and i.currency == currency),
                              Decimal(0))
                credit = credit_of(uow, customer_id, currency)
                assert received == self.received.get((customer_id, currency), Decimal(0))
                assert received == allocated + credit
                assert allocated == settled  # both sides of every allocation agree
        numbers = sorted((i.year, i.seq) for i in invoices)
        assert len(set(numbers)) == len(numbers)

    def settle_everything(self) -> None:
        """Paying each customer exactly what is outstanding leaves every invoice paid."""
        for customer_id in self.customers:
            for currency in CURRENCIES:
                owed, credit = self.run(partial(_owed_and_credit, c=customer_id, k=currency))
                if owed <= 0:
                    continue
                self.pay_exactly(customer_id, money_of(owed, currency))
                after = self.run(partial(_open_and_credit, c=customer_id, k=currency))
                assert after == ([], credit)
        self.run(self.check)

    def pay_exactly(self, customer_id: int, amount: Money) -> None:
        payment_id = self.run(lambda uow: record_payment(
            uow, self._actor(uow, self.fin_id), amount, self.now, self.today,
            customer_id=customer_id).payment.id or 0)
        self.payments.append(payment_id)
        key = (customer_id, amount.currency)
        self.received[key] = self.received.get(key, Decimal(0)) + amount.amount


def _owed_and_credit(uow: UnitOfWork, c: int, k: str) -> tuple[Decimal, Decimal]:
    """What customer `c` owes in currency `k`, and its credit in it."""
    owed = sum((i.outstanding for i in uow.invoices.open_of_customer(c, k)), Decimal(0))
    return owed, credit_of(uow, c, k)


def _open_and_credit(uow: UnitOfWork, c: int, k: str) -> tuple[list[Invoice], Decimal]:
    return uow.invoices.open_of_customer(c, k), credit_of(uow, c, k)


def money_of(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)


def gapless(numbers: list[str]) -> bool:
    """INV-<year>-<seq> numbers count 1, 2, 3, ... within each year."""
    by_year: dict[str, list[int]] = {}
    for number in numbers:
        _, year, seq = number.split("-")
        by_year.setdefault(year, []).append(int(seq))
    return all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in by_year.values())


# --------------------------------------------------------------------------- in memory


def _fake_scenario() -> tuple[Scenario, FakeUnitOfWork]:
    uow = FakeUnitOfWork()
    rep = add_person(uow, "rep", Role.REP, "east")
    fin = add_person(uow, "fin", Role.FINANCE, None)
    customers = []
    for name in ("Acme", "Globex"):
        customer = Customer(name=name, name_key=name.lower(), owner_id=rep.id or 0,
                            team=rep.team, created_at=NOW)
        uow.customers.add(customer)
        uow.flush()
        customers.append(customer.id or 0)

    def run(fn: Callable[[ChatUnitOfWork], T]) -> T:
        return fn(uow)

    return Scenario(run, rep.id or 0, fin.id or 0, customers), uow


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, min_size=1, max_size=30))
def test_books_balance_after_any_sequence_of_cash_operations(plays: list[Operation]) -> None:
    scenario, uow = _fake_scenario()
    for op in [NewOrder(0, "CNY", 2, 100_000, "30/60/10"), *plays]:
        scenario.play(op)
    scenario.settle_everything()
    issued = [i.number for i in uow.stored(Invoice)]
    assert gapless(issued)
    assert gapless([n.number for n in uow.stored(CreditNote)])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CURRENCIES), st.integers(1, 10**9), st.sampled_from(PLANS[:4]))
def test_invoicing_every_installment_bills_exactly_the_order_total(
    currency: str, price: int, plan: str
) -> None:
    scenario, uow = _fake_scenario()
    scenario.play(NewOrder(0, currency, 3, price, plan))
    scenario.play(Deliver(0, None))
    order = uow.orders.get(scenario.orders[0])
    assert order is not None
    for _ in [part for part in order.installments if part.amount > 0]:
        scenario.play(Bill(0, None, None))
    assert scenario.refused == []
    billed = sum((i.total for i in uow.invoices.of_order(order.id or 0)), Decimal(0))
    assert billed == order.total
    assert all(i.total == quantize(i.total, currency) for i in uow.stored(Invoice))

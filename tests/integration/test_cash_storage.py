"""Cash records on SQLite and PostgreSQL: numbering under concurrency, locks, constraints."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select, text

from bot.app import App
from domain.errors import Conflict
from domain.invoices import issue_invoice
from domain.model.payments import Payment, PaymentMethod
from domain.model.users import User
from domain.money import Money
from domain.payments import record_payment
from storage import tables_cash
from storage.unit_of_work import SqlUnitOfWork
from tests.support import say

WAIT = 20.0  # seconds; an upper bound for a blocked call, never a synchronisation delay
TODAY = date(2026, 11, 23)  # the fixture clock's day in Shanghai


def _signed_order(app: App, company: str) -> int:
    """A signed 30/60/10 order of 113,000.00 CNY (10 x 10,000 + 13% tax) for a new customer."""
    lead = say(app, "rep", f'/lead "{company}"').text.split()[1]
    # customer=new: "Customer 1" is its own company, not a look-alike of "Customer 0".
    qualified = say(app, "rep", f"/qualify {lead} customer=new").text
    deal = next(w for w in qualified.split() if w.startswith("D-"))
    quote = say(app, "rep", f"/quote {deal} 10 x Server @ 10,000").text.split()[1]
    reply = say(app, "rep", f"/accept {quote} plan=30/60/10")
    assert reply.ok, reply.text
    return int(reply.text.split()[1].removeprefix("O-"))


def _finance(uow: SqlUnitOfWork) -> User:
    fin = uow.users.by_username("fin")
    assert fin is not None
    return fin


def _numbers(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(tables_cash.invoices.c.number)).scalars())


def test_invoice_numbers_have_no_gaps_or_duplicates_when_issued_at_once(app: App) -> None:
    orders = [_signed_order(app, f"Customer {n}") for n in range(6)]
    start = threading.Barrier(len(orders), timeout=WAIT)

    def issue(order_id: int) -> str:
        with app.uow() as uow:
            uow.session.execute(text("SELECT 1"))  # connected before the race starts
            start.wait()
            issued = issue_invoice(uow, _finance(uow), order_id, app.dispatcher.clock(), TODAY)
            uow.commit()
            return issued.invoice.number

    with ThreadPoolExecutor(max_workers=len(orders)) as pool:
        numbers = [f.result(timeout=WAIT) for f in [pool.submit(issue, o) for o in orders]]
    expected = [f"INV-2026-{n:04d}" for n in range(1, len(orders) + 1)]
    assert sorted(numbers) == expected
    assert _numbers(app.engine) == expected


def _postgres_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("watching one transaction wait for another needs PostgreSQL's lock view")


def _wait_until_blocked(engine: Engine, application_name: str) -> None:
    """Poll the server until the named session waits on a lock (a condition, not a delay)."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                 "AND datname = current_database() AND wait_event_type = 'Lock'")
    deadline = time.monotonic() + WAIT
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while time.monotonic() < deadline:
            if conn.execute(query, {"name": application_name}).scalar_one():
                return
            time.sleep(0.01)
    raise AssertionError("the second transaction never waited for the first")


def _named(uow: SqlUnitOfWork, name: str) -> None:
    uow.session.execute(text("SELECT set_config('application_name', :name, true)"),
                        {"name": name})


@pytest.mark.parametrize("first_commits", [True, False])
def test_second_invoice_waits_for_the_first_number_and_a_rollback_gives_it_back(
    app: App, first_commits: bool
) -> None:
    _postgres_only(app.engine)
    first_order, second_order = _signed_order(app, "First"), _signed_order(app, "Second")
    name = f"ltc_invoice_{uuid.uuid4().hex[:8]}"

    def second() -> str:
        with app.uow() as uow:
            _named(uow, name)
            issued = issue_invoice(uow, _finance(uow), second_order, app.dispatcher.clock(),
                                   TODAY)
            uow.commit()
            return issued.invoice.number

    with ThreadPoolExecutor(max_workers=1) as pool, app.uow() as first:
        taken = issue_invoice(first, _finance(first), first_order, app.dispatcher.clock(),
                              TODAY).invoice.number
        assert taken == "INV-2026-0001"
        future = pool.submit(second)
        _wait_until_blocked(app.engine, name)
        if first_commits:
            first.commit()
        else:
            first.rollback()
    number = future.result(timeout=WAIT)
    assert number == ("INV-2026-0002" if first_commits else "INV-2026-0001")
    assert _numbers(app.engine) == (["INV-2026-0001", "INV-2026-0002"] if first_commits
                                    else ["INV-2026-0001"])


def test_two_payments_racing_for_one_invoice_never_over_allocate_it(app: App) -> None:
    order_id = _signed_order(app, "Racing")
    assert say(app, "fin", f"/invoice O-{order_id}").ok
    start = threading.Barrier(2, timeout=WAIT)

    def pay(ref: str) -> str:
        with app.uow() as uow:
            uow.session.execute(text("SELECT 1"))
            start.wait()
            try:
                record_payment(uow, _finance(uow), Money(Decimal(33900), "CNY"),
                               app.dispatcher.clock(), TODAY, invoice_number="INV-2026-0001",
                               ref=ref)
            except Conflict as refusal:
                return refusal.key
            uow.commit()
            return "paid"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = [f.result(timeout=WAIT) for f in [pool.submit(pay, "R-A"),
                                                      pool.submit(pay, "R-B")]]
    assert sorted(outcomes) == ["paid", "payment.invoice_settled"]
    with app.uow() as uow:
        invoice = uow.invoices.by_number("INV-2026-0001")
        assert invoice is not None
        assert (invoice.paid, invoice.outstanding) == (Decimal(33900), 0)


def test_same_bank_ref_is_refused_by_the_database_too(app: App) -> None:
    order_id = _signed_order(app, "Twice")
    with app.uow() as uow:
        customer_id = uow.orders.get(order_id).customer_id  # type: ignore[union-attr]

    def payment() -> Payment:
        return Payment(customer_id=customer_id, owner_id=1, team=None, currency="CNY",
                       amount=Decimal(100), received_on=TODAY, method=PaymentMethod.BANK,
                       recorded_by=1, created_at=app.dispatcher.clock(), ref="BANK-7")

    with app.uow() as uow:
        uow.payments.add(payment())
        uow.commit()
    with app.uow() as uow, pytest.raises(Conflict) as caught:
        uow.payments.add(payment())  # past the domain's own check, straight to the table
    assert caught.value.key == "payment.duplicate_ref"
    with app.engine.connect() as conn:
        refs = conn.execute(select(tables_cash.payments.c.ref)).scalars().all()
    assert refs == ["BANK-7"]


def test_issued_invoice_cannot_be_edited_in_storage(app: App) -> None:
    order_id = _signed_order(app, "Posted")
    assert say(app, "fin", f"/invoice O-{order_id}").ok
    with app.uow() as uow:
        invoice = uow.invoices.by_number("INV-2026-0001")
        assert invoice is not None
        invoice.total = Decimal(1)
        with pytest.raises(RuntimeError, match="posted"):
            uow.commit()
    with app.uow() as uow:
        kept = uow.invoices.by_number("INV-2026-0001")
        assert kept is not None and kept.total == Decimal(33900)


def test_fixed_date_installment_and_deliveries_are_stored(app: App) -> None:
    lead = say(app, "rep", "/lead Dated").text.split()[1]
    deal = next(w for w in say(app, "rep", f"/qualify {lead}").text.split() if w.startswith("D-"))
    quote = say(app, "rep", f"/quote {deal} 4 x Server @ 1,000 tax=0").text.split()[1]
    assert say(app, "rep", f"/accept {quote} plan=50@signing/50@2027-01-15").ok
    assert say(app, "rep", "/deliver O-1 1 x Server; 2 x #1").ok
    with app.uow() as uow:
        order = uow.orders.get(1)
        assert order is not None
        assert [(i.trigger.value, i.on_date) for i in order.installments] == [
            ("signing", None), ("date", date(2027, 1, 15))]
        assert [(d.position, d.quantity) for d in order.deliveries[0].lines] == [(1, 3)]
        assert order.to_deliver(order.lines[0]) == 1


def test_a_pay_command_reads_its_invoice_after_waiting_for_the_ledger(app: App) -> None:
    """/pay holds the invoice's ledger before it reads the invoice: a payment committed while
    it waited is seen, and the invoice is not paid twice."""
    if app.engine.dialect.name != "postgresql":
        pytest.skip("waiting for a row lock is PostgreSQL's; SQLite retries a stale write")
    order_id = _signed_order(app, "Waiting")
    assert say(app, "fin", f"/invoice O-{order_id}").ok
    with ThreadPoolExecutor(max_workers=1) as pool, app.uow() as holder:
        customer_id = holder.ledgers.lock_of_invoice("INV-2026-0001")
        assert customer_id is not None
        waiting = pool.submit(say, app, "fin", "/pay INV-2026-0001 33900 ref=R-WAIT")
        deadline = time.monotonic() + WAIT
        while not _waits_for_a_lock(app.engine):
            assert time.monotonic() < deadline and not waiting.done(), "/pay did not wait"
        record_payment(holder, _finance(holder), Money(Decimal(33900), "CNY"),
                       app.dispatcher.clock(), TODAY, invoice_number="INV-2026-0001",
                       ref="R-FIRST")
        holder.commit()
        reply = waiting.result(timeout=WAIT)
    assert not reply.ok and "INV-2026-0001" in reply.text, reply.text
    with app.uow() as uow:
        invoice = uow.invoices.by_number("INV-2026-0001")
        assert invoice is not None
        assert (invoice.paid, invoice.outstanding) == (Decimal(33900), 0)


def _waits_for_a_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")).scalar())

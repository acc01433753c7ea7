"""Repositories of the cash side: invoices, payments, document numbers, customer ledgers."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, event, exists, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.sql.elements import ColumnElement

from domain.errors import Conflict
from domain.model.credit_notes import CreditNote
from domain.model.invoices import Invoice
from domain.model.payments import Payment, bank_ref_key
from domain.model.users import User
from storage import tables
from storage import tables_cash as c
from storage.repositories import SqlRepository


def _allocated(column: Any, key: Any) -> ColumnElement[Any]:
    """The sum of allocations whose `column` equals `key`, 0 if none."""
    return select(func.coalesce(func.sum(c.allocations.c.amount), 0)).where(
        column == key).scalar_subquery()


@cache
def _by_number() -> Select[tuple[Invoice]]:
    """Built once (after the domain is mapped), run with the number as a parameter."""
    return select(Invoice).where(c.invoices.c.number == bindparam("number"))


@cache
def _customer_of_invoice() -> Any:
    i = c.invoices
    return select(i.c.customer_id).where(i.c.number == bindparam("number")).scalar_subquery()


@cache
def _ledger_lock(dialect: str, by_invoice: bool) -> Any:
    """The statement that holds a customer's ledger (by its id, or by an invoice's number)
    until the transaction ends, returning the customer's id."""
    customers = tables.customers
    key = _customer_of_invoice() if by_invoice else bindparam("customer_id")
    if dialect == "sqlite":
        return (update(customers).where(customers.c.id == key)
                .values(name=customers.c.name).returning(customers.c.id))
    return select(customers.c.id).where(customers.c.id == key).with_for_update()


class SqlInvoices(SqlRepository[Invoice]):
    def __init__(self, session: Session, cls: type[Invoice]) -> None:
        super().__init__(session, cls)
        # Invoices this transaction looked up by number, held so they are not read again
        # (the session's identity map keeps only what someone else still holds).
        self.numbered: dict[str, Invoice] = {}

    def by_number(self, number: str) -> Invoice | None:
        held = self.numbered.get(number)
        if held is not None and held in self.session:
            return held  # expired (by a lock or a rollback), it is refreshed when read
        found = self.session.scalars(_by_number(), {"number": number}).first()
        if found is not None:
            self.numbered[number] = found
        return found

    def of_order(self, order_id: int) -> list[Invoice]:
        i = c.invoices
        return list(self.session.scalars(
            select(Invoice).where(i.c.order_id == order_id).order_by(i.c.year, i.c.seq)))

    def open_of_customer(self, customer_id: int, currency: str) -> list[Invoice]:
        i = c.invoices
        void = exists().where(c.credit_notes.c.invoice_id == i.c.id)
        paid = _allocated(c.allocations.c.invoice_id, i.c.id)
        return list(self.session.scalars(
            select(Invoice).where(i.c.customer_id == customer_id, i.c.currency == currency,
                                  ~void, i.c.total > paid)
            .order_by(i.c.due_on, i.c.issued_on, i.c.year, i.c.seq)))


class SqlCreditNotes(SqlRepository[CreditNote]):
    def by_number(self, number: str) -> CreditNote | None:
        return self.session.scalars(select(CreditNote).filter_by(number=number)).first()


class SqlPayments(SqlRepository[Payment]):
    def add(self, obj: Payment) -> None:
        """Add and write at once, so a bank reference taken meanwhile is a clear refusal."""
        if obj.ref is None:  # nothing unique to clash on: no savepoint needed
            self.session.add(obj)
            self.session.flush()
            return
        try:
            with self.session.begin_nested():
                self.session.add(obj)
                self.session.flush()
        except IntegrityError:
            raise Conflict("payment.duplicate_ref", ref=obj.ref or "", payment="?") from None

    def by_ref(self, ref: str) -> Payment | None:
        """The payment with this bank reference, in any case or width."""
        return self.session.scalars(select(Payment).filter_by(ref_key=bank_ref_key(ref))).first()

    def with_credit(self, customer_id: int, currency: str) -> list[Payment]:
        p = c.payments
        allocated = _allocated(c.allocations.c.payment_id, p.c.id)
        return list(self.session.scalars(
            select(Payment).where(p.c.customer_id == customer_id, p.c.currency == currency,
                                  p.c.amount > allocated)
            .order_by(p.c.received_on, p.c.id)))


class SqlDocumentNumbers:
    """A counter row per series and year, incremented in the caller's transaction.

    The UPDATE holds the row until commit (PostgreSQL row lock, SQLite write lock), so two
    transactions never read the same value, and a rollback returns the number: no gaps.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def next(self, series: str, year: int) -> int:
        t = c.document_counters
        bump = (update(t).where(t.c.series == series, t.c.year == year)
                .values(last=t.c.last + 1).returning(t.c.last))
        value = self.session.execute(bump).scalar()
        if value is not None:
            return int(value)
        try:
            with self.session.begin_nested():
                self.session.execute(insert(t).values(series=series, year=year, last=1))
        except IntegrityError:
            # Another transaction started the year first; its row is there now.
            return int(self.session.execute(bump).scalar_one())
        return 1


class SqlLedgers:
    def __init__(self, session: Session) -> None:
        self.session = session
        # The ledgers this transaction holds (customer ids, and invoice numbers to theirs):
        # held once, they are not locked again, and what was read since is not read again.
        self.held: set[int] = set()
        self.held_invoices: dict[str, int] = {}

    def forget(self) -> None:
        """After a commit or a rollback: nothing is held any more."""
        self.held.clear()
        self.held_invoices.clear()

    def lock(self, customer_id: int) -> None:
        if customer_id not in self.held:
            self._lock({"customer_id": customer_id}, by_invoice=False)

    def lock_of_invoice(self, number: str) -> int | None:
        if number in self.held_invoices:
            return self.held_invoices[number]
        customer_id = self._lock({"number": number}, by_invoice=True)
        if customer_id is not None:
            self.held_invoices[number] = customer_id
        return customer_id

    def _lock(self, params: dict[str, Any], *, by_invoice: bool) -> int | None:
        self.session.flush()
        dialect = self.session.get_bind().dialect.name
        # SQLite has no row locks; a write takes the database's write lock until commit.
        found = self.session.execute(_ledger_lock(dialect, by_invoice), params)
        customer_id = found.scalar()
        # What was read before waiting for the lock may be stale; the people who act are
        # not part of a ledger, and were checked at the start of the message.
        for obj in list(self.session.identity_map.values()):
            if not isinstance(obj, User):
                self.session.expire(obj)
        if customer_id is None:
            return None
        self.held.add(int(customer_id))
        return int(customer_id)

    def currencies(self, customer_id: int) -> set[str]:
        o = tables.orders
        return set(self.session.scalars(
            select(o.c.currency).where(o.c.customer_id == customer_id).distinct()))


def _refuse_edit(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    state = inspect(target)
    changed = [attr.key for attr in mapper.column_attrs
               if state.attrs[attr.key].history.has_changes()]
    if changed:
        raise RuntimeError(f"{type(target).__name__} is posted and cannot be edited: {changed}")


def keep_posted_documents(*classes: type) -> None:
    """Posted documents are never updated: void them or add a reversing entry instead."""
    for cls in classes:
        if not event.contains(cls, "before_update", _refuse_edit):
            event.listen(cls, "before_update", _refuse_edit)

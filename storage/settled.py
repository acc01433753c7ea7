"""Keeps each invoice's `settled` flag in step: paid in full or voided, so nothing is owed.

The flag is never shown; an invoice's status is still derived from its allocations and credit
notes. It lets the scans for money still owed (the dunning run) skip the paid history by an
index instead of summing every allocation ever made. After each flush, the invoices that were
got (or lost) an allocation or a credit note have the flag computed again in SQL, in the same
transaction; `refresh` computes it for every invoice, for data loaded around the unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, event, func, or_, select, update
from sqlalchemy.orm import Session, UOWTransaction

from domain.model.credit_notes import CreditNote
from domain.model.invoices import Allocation
from storage import tables_cash as c


def settled_now() -> Any:
    """Whether an invoice (a row of `invoices` in an UPDATE) owes nothing: voided by a credit
    note, or its allocations and credit notes cover its total."""
    i, a, n = c.invoices, c.allocations, c.credit_notes
    paid = select(func.coalesce(func.sum(a.c.amount), 0)).where(
        a.c.invoice_id == i.c.id).scalar_subquery()
    credited = select(func.coalesce(func.sum(n.c.amount), 0)).where(
        n.c.invoice_id == i.c.id).scalar_subquery()
    return or_(credited > 0, i.c.total - paid - credited <= 0)


@cache
def _refresh_some() -> Any:
    """Built once: run after every flush that touched an allocation or a credit note."""
    return update(c.invoices).values(settled=settled_now()).where(
        c.invoices.c.id.in_(bindparam("ids", expanding=True)))


def refresh(connection: Connection, invoice_ids: Iterable[int] | None = None) -> None:
    """Compute the flag again for these invoices (all when None)."""
    if invoice_ids is None:
        connection.execute(update(c.invoices).values(settled=settled_now()))
        return
    ids = sorted(set(invoice_ids))
    if ids:
        connection.execute(_refresh_some(), {"ids": ids})


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    touched: set[int] = set()
    for group in (session.new, session.dirty, session.deleted):
        for obj in group:
            if isinstance(obj, Allocation | CreditNote) and obj.invoice_id:
                touched.add(obj.invoice_id)
    if touched:
        refresh(session.connection(), touched)


def install(session_class: type[Session]) -> None:
    """Attach the flag's upkeep to a session class."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


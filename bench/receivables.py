"""Signed orders and their invoices, payments and allocations, bulk-inserted for the benchmarks.

Invoices are numbered as ltcbot numbers them (INV-2026-0007, a sequence per year, with the
document counters kept in step), so commands like `/pay INV-2026-0007 1` find them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from bench.seeding import bulk_insert
from domain.model.invoices import INVOICE_SERIES
from domain.references import document_number
from storage import settled
from storage import tables as t
from storage import tables_cash as c

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Sale:
    """A won deal that became a signed order (order id = position in the list + 1)."""

    deal_id: int
    customer_id: int
    owner_id: int
    team: str | None
    amount: Decimal


@dataclass(frozen=True)
class Bill:
    """An invoice to issue on order `order` (1-based), of which `paid` has been received."""

    order: int
    issued_on: date
    due_on: date
    total: Decimal
    paid: Decimal = Decimal(0)


def seed_orders(engine: Engine, sales: Sequence[Sale]) -> dict[str, int]:
    """An accepted quote, an order and one order line per sale."""

    def quotes() -> Iterator[dict[str, Any]]:
        for n, s in enumerate(sales, start=1):
            yield {"id": n, "deal_id": s.deal_id, "owner_id": s.owner_id, "team": s.team,
                   "currency": "CNY", "discount_pct": Decimal(0), "tax_pct": Decimal(13),
                   "valid_until": TODAY, "status": "accepted", "total": s.amount,
                   "created_at": NOW - timedelta(days=400)}

    def orders() -> Iterator[dict[str, Any]]:
        for n, s in enumerate(sales, start=1):
            yield {"id": n, "quote_id": n, "deal_id": s.deal_id, "customer_id": s.customer_id,
                   "owner_id": s.owner_id, "team": s.team, "currency": "CNY",
                   "total": s.amount, "discount_pct": Decimal(0), "tax_pct": Decimal(13),
                   "plan": "net30", "signed_on": TODAY - timedelta(days=400),
                   "created_at": NOW - timedelta(days=400)}

    def lines() -> Iterator[dict[str, Any]]:
        for n, s in enumerate(sales, start=1):
            yield {"order_id": n, "position": 1, "item": "Service", "quantity": Decimal(1),
                   "unit_price": s.amount}

    return {table.name: bulk_insert(engine, table, rows) for table, rows in
            [(t.quotes, quotes()), (t.orders, orders()), (t.order_lines, lines())]}


def seed_invoices(engine: Engine, sales: Sequence[Sale], bills: Iterable[Bill]) -> dict[str, int]:
    """The bills as invoices; each paid part as one bank payment allocated to its invoice."""
    numbered: list[tuple[int, Bill, Sale]] = []
    seq: dict[int, int] = {}

    def invoices() -> Iterator[dict[str, Any]]:
        for n, bill in enumerate(bills, start=1):
            sale = sales[bill.order - 1]
            year = bill.issued_on.year
            seq[year] = seq.get(year, 0) + 1
            numbered.append((n, bill, sale))
            yield {"id": n, "number": document_number(INVOICE_SERIES, year, seq[year]),
                   "year": year, "seq": seq[year], "order_id": bill.order,
                   "customer_id": sale.customer_id, "owner_id": sale.owner_id,
                   "team": sale.team, "currency": "CNY", "total": bill.total,
                   "issued_on": bill.issued_on, "due_on": bill.due_on, "issued_by": 1,
                   "created_at": datetime.combine(bill.issued_on, datetime.min.time(), UTC)}

    paid: list[tuple[int, int, Bill]] = []  # payment id, invoice id, bill

    def payments() -> Iterator[dict[str, Any]]:
        for invoice_id, bill, sale in numbered:
            if bill.paid <= 0:
                continue
            paid.append((len(paid) + 1, invoice_id, bill))
            yield {"id": len(paid), "customer_id": sale.customer_id, "owner_id": sale.owner_id,
                   "team": sale.team, "currency": "CNY", "amount": bill.paid,
                   "received_on": min(bill.due_on, TODAY), "method": "bank",
                   "invoice_id": invoice_id, "recorded_by": 1, "created_at": NOW}

    def allocations() -> Iterator[dict[str, Any]]:
        for payment_id, invoice_id, bill in paid:
            yield {"payment_id": payment_id, "invoice_id": invoice_id, "amount": bill.paid,
                   "created_at": NOW}

    def counters() -> Iterator[dict[str, Any]]:
        for year, last in sorted(seq.items()):
            yield {"series": INVOICE_SERIES, "year": year, "last": last}

    counts = {table.name: bulk_insert(engine, table, rows) for table, rows in
              [(c.invoices, invoices()), (c.payments, payments()),
               (c.allocations, allocations()), (c.document_counters, counters())]}
    with engine.begin() as conn:  # the flag a running bot keeps in step
        settled.refresh(conn)
    return counts

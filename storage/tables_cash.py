"""The cash tables: deliveries, invoices, credit notes, payments, allocations, counters.

Statuses and outstanding amounts have no column: they are derived from allocations and
credit notes. An invoice's `settled` flag only narrows the scans for money still owed
(storage/settled.py keeps it); the indexes serve the lists (by customer, owner, team and due
date).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from domain.model.payments import PaymentMethod
from storage.tables import enum, metadata, pk, user_fk
from storage.types import Amount, UTCDateTime

document_counters = Table(
    "document_counters", metadata,
    Column("series", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

deliveries = Table(
    "deliveries", metadata, pk(),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, index=True),
    Column("delivered_on", Date, nullable=False),
    user_fk("recorded_by"),
    Column("created_at", UTCDateTime, nullable=False),
)

delivery_lines = Table(
    "delivery_lines", metadata, pk(),
    Column("delivery_id", Integer, ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("order_line_id", Integer, ForeignKey("order_lines.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("quantity", Numeric(18, 4), nullable=False),
)

invoices = Table(
    "invoices", metadata, pk(),
    Column("number", String(24), nullable=False, unique=True),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, index=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    user_fk("owner_id"),
    Column("team", String(64)),
    Column("currency", String(3), nullable=False),
    Column("total", Amount, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    user_fk("issued_by"),
    Column("installment_seq", Integer),
    Column("installment_id", Integer, ForeignKey("installments.id")),
    Column("created_at", UTCDateTime, nullable=False),
    # Paid in full or voided (storage/settled.py); never read as the status, which is derived.
    Column("settled", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("year", "seq", name="uq_invoices_year_seq"),
)
Index("ix_invoices_customer_due", invoices.c.customer_id, invoices.c.currency, invoices.c.due_on)
Index("ix_invoices_owner_due", invoices.c.owner_id, invoices.c.due_on)
Index("ix_invoices_team_due", invoices.c.team, invoices.c.due_on)
Index("ix_invoices_due", invoices.c.due_on)
Index("ix_invoices_settled_due", invoices.c.settled, invoices.c.due_on)

credit_notes = Table(
    "credit_notes", metadata, pk(),
    Column("number", String(24), nullable=False, unique=True),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    # One credit note voids one invoice, once.
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False, unique=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount", Amount, nullable=False),
    Column("reason", Text, nullable=False),
    Column("issued_on", Date, nullable=False),
    user_fk("issued_by"),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("year", "seq", name="uq_credit_notes_year_seq"),
)

payments = Table(
    "payments", metadata, pk(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    user_fk("owner_id"),
    Column("team", String(64)),
    Column("currency", String(3), nullable=False),
    Column("amount", Amount, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("method", enum(PaymentMethod), nullable=False),
    # The bank's reference as written (width-folded); the same one twice is the same money
    # recorded twice, so `ref_key` (case-folded) is unique too.
    Column("ref", String(64), unique=True),
    Column("ref_key", String(80)),
    Column("invoice_id", Integer, ForeignKey("invoices.id")),
    user_fk("recorded_by"),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_payments_customer_received", payments.c.customer_id, payments.c.currency,
      payments.c.received_on)
Index("ix_payments_owner_received", payments.c.owner_id, payments.c.received_on)
Index("ux_payments_ref_key", payments.c.ref_key, unique=True)

allocations = Table(
    "allocations", metadata, pk(),
    Column("payment_id", Integer, ForeignKey("payments.id"), nullable=False, index=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("credit_note_id", Integer, ForeignKey("credit_notes.id")),
    Column("amount", Amount, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

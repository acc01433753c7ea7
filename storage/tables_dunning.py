"""Which dunning level each invoice has reached; the primary key makes each level once."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, Table

from storage.tables import metadata

dunning_marks = Table(
    "dunning_marks", metadata,
    Column("invoice_id", Integer, ForeignKey("invoices.id"), primary_key=True),
    Column("level", Integer, primary_key=True),
    Column("sent_on", Date, nullable=False),
)

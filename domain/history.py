"""Which audit entries make up a record's history: the record and the lines it holds (a
customer's contacts, a quote's lines, an order's installments and deliveries, ...)."""

from __future__ import annotations

from typing import Any

from domain.records import Record
from domain.unit_of_work import UnitOfWork

_CHILDREN = {
    "quote": (("lines", "quoteline"),),
    "order": (("lines", "orderline"), ("installments", "installment"),
              ("deliveries", "delivery")),
    "invoice": (("allocations", "allocation"), ("credit_notes", "creditnote")),
    "payment": (("allocations", "allocation"),),
}


def trail(uow: UnitOfWork, record: Record) -> list[tuple[str, int]]:
    """(audit entity, id) pairs of the record and of its lines, allocations, deliveries."""
    entries = [(record.kind, record.id)]
    if record.kind == "customer":
        entries += [("contact", c.id or 0) for c in uow.contacts.of_customer(record.id)]
    for attribute, entity in _CHILDREN.get(record.kind, ()):
        children: list[Any] = getattr(record.entity, attribute, [])
        for child in children:
            entries.append((entity, int(child.id or 0)))
            if entity == "delivery":
                entries += [("deliveryline", int(line.id or 0)) for line in child.lines]
    return entries

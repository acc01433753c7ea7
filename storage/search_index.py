"""Keeps the search terms of leads, customers, contacts and deals in step with the records.

After each flush, every such record that was added, deleted, or changed in a searched field
gets its terms rewritten (domain/search.py says which), in the same transaction: a search
never sees a name the record no longer has. `rebuild` files every record again, for data
loaded around the unit of work (bulk seeding, a change of the normalisation rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect, select, tuple_
from sqlalchemy.orm import Session, UOWTransaction

from domain.customers import Contact, Customer
from domain.deals import Deal
from domain.leads import Lead
from domain.search import record_terms
from storage import tables as t
from storage.tables_search import search_terms

BATCH = 5000
# kind -> (table, name columns, phone columns, e-mail columns)
SEARCHED: dict[str, tuple[Any, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "lead": (t.leads, ("company", "contact"), ("phone",), ("email",)),
    "customer": (t.customers, ("name",), ("phone",), ("email",)),
    "contact": (t.contacts, ("name",), ("phone",), ("email",)),
    "deal": (t.deals, ("title",), (), ()),
}
_KINDS: dict[type, str] = {Lead: "lead", Customer: "customer", Contact: "contact", Deal: "deal"}


def _rows(kind: str, record_id: int, values: Any) -> list[dict[str, Any]]:
    _, names, phones, emails = SEARCHED[kind]
    terms = record_terms(names=[values[c] for c in names], phones=[values[c] for c in phones],
                         emails=[values[c] for c in emails])
    return [{"kind": kind, "record_id": record_id, "field": field, "term": term}
            for field, term in sorted(terms)]


class _Attributes:
    """An entity read like a row: values[column]."""

    def __init__(self, entity: Any) -> None:
        self.entity = entity

    def __getitem__(self, name: str) -> Any:
        return getattr(self.entity, name)


def _searched_changed(obj: Any, kind: str) -> bool:
    _, names, phones, emails = SEARCHED[kind]
    state = inspect(obj)
    return any(state.attrs[c].history.has_changes() for c in (*names, *phones, *emails))


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    stale: list[tuple[str, int]] = []
    fresh: list[dict[str, Any]] = []
    for obj in session.new:
        kind = _KINDS.get(type(obj))
        if kind is not None:
            fresh += _rows(kind, obj.id, _Attributes(obj))
    for obj in session.dirty:
        kind = _KINDS.get(type(obj))
        if kind is not None and _searched_changed(obj, kind):
            stale.append((kind, obj.id))
            fresh += _rows(kind, obj.id, _Attributes(obj))
    for obj in session.deleted:
        kind = _KINDS.get(type(obj))
        if kind is not None:
            stale.append((kind, obj.id))
    connection = session.connection()
    if stale:
        connection.execute(delete(search_terms).where(
            tuple_(search_terms.c.kind, search_terms.c.record_id).in_(stale)))
    if fresh:
        connection.execute(insert(search_terms), fresh)


def install(session_class: type[Session]) -> None:
    """Attach the search-term upkeep to a session class."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


def _all_rows(connection: Connection) -> Iterator[dict[str, Any]]:
    for kind, (table, names, phones, emails) in SEARCHED.items():
        columns = [table.c.id, *(table.c[c] for c in (*names, *phones, *emails))]
        last = 0
        while True:
            batch = connection.execute(select(*columns).where(table.c.id > last)
                                       .order_by(table.c.id).limit(BATCH)).mappings().all()
            if not batch:
                break
            for row in batch:
                yield from _rows(kind, row["id"], row)
            last = batch[-1]["id"]


def rebuild(connection: Connection) -> int:
    """File every record again under its terms; returns how many terms there are."""
    connection.execute(delete(search_terms))
    count = 0
    pending: list[dict[str, Any]] = []
    for row in _all_rows(connection):
        pending.append(row)
        if len(pending) >= BATCH:
            connection.execute(insert(search_terms), pending)
            count += len(pending)
            pending = []
    if pending:
        connection.execute(insert(search_terms), pending)
        count += len(pending)
    return count

"""Keeps the search terms of leads, customers, contacts and deals in step with the records.

After each flush, every such record that was added, deleted, or changed in a searched field,
its owner or its team gets its terms rewritten (domain/search.py says which), in the same
transaction: a search never sees a name the record no longer has, nor misses one it was
just given. A customer given to someone else takes its contacts' terms along. `rebuild`
files every record again, for data loaded around the unit of work (bulk seeding, a change of
the normalisation rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect, select, tuple_, update
from sqlalchemy.orm import Session, UOWTransaction

from domain.model.customers import Contact, Customer
from domain.model.deals import Deal
from domain.model.leads import Lead
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
_READER = ("owner_id", "team")


def _rows(kind: str, record_id: int, values: Any, owner_id: int,
          team: str | None) -> list[dict[str, Any]]:
    _, names, phones, emails = SEARCHED[kind]
    terms = record_terms(names=[values[c] for c in names], phones=[values[c] for c in phones],
                         emails=[values[c] for c in emails])
    return [{"kind": kind, "record_id": record_id, "field": field, "term": term,
             "owner_id": owner_id, "team": team} for field, term in sorted(terms)]


class _Attributes:
    """An entity read like a row: values[column]."""

    def __init__(self, entity: Any) -> None:
        self.entity = entity

    def __getitem__(self, name: str) -> Any:
        return getattr(self.entity, name)


def _changed(obj: Any, columns: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(c in state.attrs and state.attrs[c].history.has_changes() for c in columns)


def _searched(kind: str) -> tuple[str, ...]:
    _, names, phones, emails = SEARCHED[kind]
    return (*names, *phones, *emails)


def _reader(connection: Connection, obj: Any) -> tuple[int, str | None]:
    """Owner and team a record is read by; a contact's are its customer's."""
    if isinstance(obj, Contact):
        row = connection.execute(select(t.customers.c.owner_id, t.customers.c.team)
                                 .where(t.customers.c.id == obj.customer_id)).one()
        return int(row.owner_id), row.team
    return int(obj.owner_id), obj.team


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    connection = session.connection()
    stale: list[tuple[str, int]] = []
    fresh: list[dict[str, Any]] = []
    moved_customers: list[Customer] = []
    for obj in session.new:
        kind = _KINDS.get(type(obj))
        if kind is not None:
            fresh += _rows(kind, obj.id, _Attributes(obj), *_reader(connection, obj))
    for obj in session.dirty:
        kind = _KINDS.get(type(obj))
        if kind is None:
            continue
        if _changed(obj, (*_searched(kind), *_READER, "customer_id")):
            stale.append((kind, obj.id))
            fresh += _rows(kind, obj.id, _Attributes(obj), *_reader(connection, obj))
        if isinstance(obj, Customer) and _changed(obj, _READER):
            moved_customers.append(obj)
    for obj in session.deleted:
        kind = _KINDS.get(type(obj))
        if kind is not None:
            stale.append((kind, obj.id))
    if stale:
        connection.execute(delete(search_terms).where(
            tuple_(search_terms.c.kind, search_terms.c.record_id).in_(stale)))
    if fresh:
        connection.execute(insert(search_terms), fresh)
    for customer in moved_customers:
        people = select(t.contacts.c.id).where(t.contacts.c.customer_id == customer.id)
        connection.execute(update(search_terms).where(
            search_terms.c.kind == "contact", search_terms.c.record_id.in_(people))
            .values(owner_id=customer.owner_id, team=customer.team))


def file_new(connection: Connection, kind: str, records: list[Any]) -> None:
    """File records written around the session (a bulk insert) under their terms."""
    fresh: list[tuple[Any, ...]] = []
    for obj in records:
        fresh += [(r["kind"], r["record_id"], r["field"], r["term"], r["owner_id"], r["team"])
                  for r in _rows(kind, obj.id, _Attributes(obj), *_reader(connection, obj))]
    if not fresh:
        return
    columns = "search_terms (kind, record_id, field, term, owner_id, team)"
    if connection.dialect.name == "postgresql":  # COPY: many terms per record
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {columns} FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in fresh:
                copy.write_row(row)
        return
    connection.exec_driver_sql(f"INSERT INTO {columns} VALUES (?, ?, ?, ?, ?, ?)", fresh)


def install(session_class: type[Session]) -> None:
    """Attach the search-term upkeep to a session class."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


def _all_rows(connection: Connection) -> Iterator[dict[str, Any]]:
    account = t.customers.alias("account")
    for kind, (table, names, phones, emails) in SEARCHED.items():
        reader = account if kind == "contact" else table
        query = select(table.c.id, *(table.c[c] for c in (*names, *phones, *emails)),
                       reader.c.owner_id, reader.c.team)
        if kind == "contact":
            query = query.join(account, account.c.id == table.c.customer_id)
        last = 0
        while True:
            batch = connection.execute(query.where(table.c.id > last).order_by(table.c.id)
                                       .limit(BATCH)).mappings().all()
            if not batch:
                break
            for row in batch:
                yield from _rows(kind, row["id"], row, row["owner_id"], row["team"])
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

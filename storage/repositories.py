"""Repositories: load and add domain entities through one SQLAlchemy session."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    event,
    func,
    inspect,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from domain.model.customers import Contact, Customer
from domain.model.deals import Deal, DealStatus, StageChange
from domain.model.leads import Lead, LeadStatus
from domain.model.quotes import OPEN_STATUSES, Quote
from domain.model.reminders import Reminder, ReminderStatus
from domain.model.users import Identity, Invite, Role, User
from domain.outbox import OutboxMessage
from domain.search import NAME
from storage import audit, search_index, tables
from storage.database import RELAXED
from storage.prebuilt import insert_or_skip
from storage.search import following
from storage.tables_search import search_terms

T = TypeVar("T")
MAX_ID = 2**31 - 1  # ids are INTEGER columns
HELD = 256  # records of a kind a unit of work keeps loaded after `get`


def _contains_any(column: ColumnElement[str], fragments: Sequence[str]) -> ColumnElement[bool]:
    """The column contains at least one fragment (LIKE with % and _ escaped)."""
    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*[column.like(f"%{escaped(f)}%", escape="\\") for f in fragments])


# How many records one fragment of a new name brings to the fuzzy comparison, at most: a word
# that very many names share (a city, "trading") costs no more than a rare one.
LOOK_ALIKES = 50


@cache
def _look_alikes(kind: str, fragments: int) -> Select[Any]:
    """The records of `kind` (id, name key, name; a lead's status too) named :name_key, and
    those with a name term in [:lo<n>, :hi<n>) for each of `fragments` fragments: the first
    LOOK_ALIKES of each fragment in term order (an exact word sorts first), by index range
    scans of the search terms. Built once per kind and number of fragments.

    One list of ids, so that the records are then read by their keys: with an OR of the name
    and the list, or the lead's status beside the name, SQLite would scan every open record
    instead. The status limits the fragments' leads; the caller keeps the open ones among
    those named :name_key."""
    s = search_terms
    table = tables.leads if kind == "lead" else tables.customers
    parts = [select(table.c.id).where(table.c.name_key == bindparam("name_key"))]
    for n in range(fragments):
        query = select(s.c.record_id.label("id")).where(  # ix_search_terms_kind_field_term
            s.c.kind == kind, s.c.field == NAME,
            s.c.term >= bindparam(f"lo{n}"), s.c.term < bindparam(f"hi{n}"))
        if kind == "lead":
            query = query.join(table, table.c.id == s.c.record_id).where(
                table.c.status == LeadStatus.NEW)
        parts.append(select(query.order_by(s.c.term).limit(LOOK_ALIKES).subquery()))
    found = union_all(*parts).subquery()
    columns = (table.c.id, table.c.name_key, tables.leads.c.company, tables.leads.c.status) \
        if kind == "lead" else (table.c.id, table.c.name_key, tables.customers.c.name)
    return select(*columns).where(table.c.id.in_(select(found.c.id))).order_by(table.c.id)


def _look_alike_params(name_key: str, fragments: Sequence[str]) -> dict[str, str]:
    params = {"name_key": name_key}
    for n, fragment in enumerate(fragments):
        params[f"lo{n}"], params[f"hi{n}"] = fragment, following(fragment)
    return params


# Statements of every message, built once: building a SQLAlchemy statement and working out
# its cache key costs more than running it; a statement kept keeps its key.

_BY_ID: dict[type, Select[Any]] = {}


def _by_id(cls: type) -> Select[Any]:
    """SELECT the entity WHERE its key = :id."""
    if cls not in _BY_ID:
        key: Any = inspect(cls).primary_key[0]
        _BY_ID[cls] = select(cls).where(key == bindparam("id", type_=key.type))
    return _BY_ID[cls]


@cache
def _user_of_identity() -> Select[Any]:
    i = tables.identities
    return select(User).join(i, i.c.user_id == tables.users.c.id).where(
        i.c.platform == bindparam("platform"), i.c.external_id == bindparam("external_id"))


class SqlRepository(Generic[T]):
    """Add and get by id; subclasses add the finders the use cases need."""

    def __init__(self, session: Session, cls: type[T]) -> None:
        self.session = session
        self.cls = cls
        # What `get` loaded lately, held for the unit of work: the session's identity map keeps
        # only what someone else still holds, and a message often gets a record twice (its
        # access check, then the use case). Bounded, so a long job does not hold all it read.
        self._held: deque[T] = deque(maxlen=HELD)

    def add(self, obj: T) -> None:
        self.session.add(obj)

    def get(self, id_: int) -> T | None:
        if not 0 < id_ <= MAX_ID:  # no such row; PostgreSQL would refuse the number itself
            return None
        if self.session.identity_key(self.cls, id_) in self.session.identity_map:
            return self.session.get(self.cls, id_)  # loaded already (or expired, or deleted)
        found = self.session.scalars(_by_id(self.cls), {"id": id_}).first()
        if found is not None:
            self._held.append(found)
        return found


class SqlUsers(SqlRepository[User]):
    def by_username(self, username: str) -> User | None:
        return self.session.scalars(select(User).filter_by(username=username)).first()

    def count(self) -> int:
        """How many users there are (the console asks before it offers to set one up)."""
        return self.session.scalar(select(func.count()).select_from(tables.users)) or 0

    def with_role(self, role: Role, team: str | None) -> list[User]:
        query = select(User).filter_by(role=role, active=True)
        if team is not None:
            query = query.where((tables.users.c.team == team) | (tables.users.c.team.is_(None)))
        return list(self.session.scalars(query.order_by(tables.users.c.id)))

    def first_joined(self) -> datetime | None:
        return self.session.scalar(select(func.min(tables.users.c.created_at)))

    def of_customer(self, customer_id: int) -> list[User]:
        u = tables.users
        return list(self.session.scalars(select(User).where(
            u.c.customer_id == customer_id, u.c.role == Role.CUSTOMER,
            u.c.active.is_(True)).order_by(u.c.id)))


class SqlIdentities(SqlRepository[Identity]):
    def find(self, platform: str, external_id: str) -> Identity | None:
        return self.session.scalars(
            select(Identity).filter_by(platform=platform, external_id=external_id)
        ).first()

    def user_of(self, platform: str, external_id: str) -> User | None:
        """The user a chat account is linked to, in one statement."""
        return self.session.scalars(_user_of_identity(), {
            "platform": platform, "external_id": external_id}).first()


class SqlInvites(SqlRepository[Invite]):
    def by_code(self, code: str) -> Invite | None:
        return self.session.scalars(select(Invite).filter_by(code=code)).first()


class SqlLeads(SqlRepository[Lead]):
    def add_many(self, leads: Sequence[Lead]) -> None:
        """Insert many new leads in one statement, with their audit rows and search terms,
        and give each its id; the leads stay outside the session."""
        if not leads:
            return
        self.session.flush()
        table = tables.leads
        columns = [c.key for c in table.columns if c.key != "id"]
        rows = [{c: getattr(lead, c) for c in columns} for lead in leads]
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            ids = list(connection.execute(text(
                "SELECT nextval(pg_get_serial_sequence('leads', 'id')) "
                "FROM generate_series(1, :n)"), {"n": len(leads)}).scalars())
            for row, id_ in zip(rows, ids, strict=True):
                row["id"] = id_
            connection.execute(table.insert(), rows)
        else:
            # SQLite: the write lock is held from the first row on, and rowids follow the
            # largest one, so the new leads have the ids just below the largest.
            connection.execute(table.insert(), rows)
            last = int(connection.execute(select(func.max(table.c.id))).scalar_one())
            ids = list(range(last - len(leads) + 1, last + 1))
        for lead, row, id_ in zip(leads, rows, ids, strict=True):
            lead.id = id_
            row["id"] = id_
        audit.record_new(self.session, "lead", rows)
        search_index.file_new(connection, "lead", list(leads))

    def open_of_owner(self, owner_id: int) -> list[Lead]:
        t = tables.leads
        return list(self.session.scalars(select(Lead).where(
            t.c.owner_id == owner_id, t.c.status == LeadStatus.NEW).order_by(t.c.id)))

    def open_by_name_key(self, name_key: str) -> list[Lead]:
        t = tables.leads
        return list(self.session.scalars(select(Lead).where(
            t.c.name_key == name_key, t.c.status == LeadStatus.NEW).order_by(t.c.id)))

    def name_keys(self, fragments: Sequence[str] = ()) -> Sequence[tuple[int, str, str]]:
        t = tables.leads
        query = select(t.c.id, t.c.name_key, t.c.company).where(t.c.status == LeadStatus.NEW)
        if fragments:
            query = query.where(_contains_any(t.c.name_key, fragments))
        return [(r.id, r.name_key, r.company) for r in self.session.execute(query)]

    def look_alikes(self, name_key: str,
                    fragments: Sequence[str]) -> Sequence[tuple[int, str, str]]:
        rows = self.session.execute(_look_alikes("lead", len(fragments)),
                                    _look_alike_params(name_key, fragments))
        return [(r.id, r.name_key, r.company) for r in rows if r.status == LeadStatus.NEW]


class SqlCustomers(SqlRepository[Customer]):
    def by_name_key(self, name_key: str) -> Customer | None:
        return self.session.scalars(
            select(Customer).filter_by(name_key=name_key).order_by(tables.customers.c.id)
        ).first()

    def of_owner(self, owner_id: int) -> list[Customer]:
        t = tables.customers
        return list(self.session.scalars(select(Customer).where(t.c.owner_id == owner_id)
                                          .order_by(t.c.id)))

    def name_keys(self, fragments: Sequence[str] = ()) -> Sequence[tuple[int, str, str]]:
        t = tables.customers
        query = select(t.c.id, t.c.name_key, t.c.name)
        if fragments:
            query = query.where(_contains_any(t.c.name_key, fragments))
        return [(r.id, r.name_key, r.name) for r in self.session.execute(query)]

    def look_alikes(self, name_key: str,
                    fragments: Sequence[str]) -> Sequence[tuple[int, str, str]]:
        rows = self.session.execute(_look_alikes("customer", len(fragments)),
                                    _look_alike_params(name_key, fragments))
        return [(r.id, r.name_key, r.name) for r in rows]


class SqlContacts(SqlRepository[Contact]):
    def of_customer(self, customer_id: int) -> list[Contact]:
        t = tables.contacts
        return list(self.session.scalars(select(Contact).where(t.c.customer_id == customer_id)
                                          .order_by(t.c.id)))


class SqlDeals(SqlRepository[Deal]):
    def add_stage_change(self, change: StageChange) -> None:
        self.session.add(change)

    def open_of_owner(self, owner_id: int) -> list[Deal]:
        t = tables.deals
        return list(self.session.scalars(select(Deal).where(
            t.c.owner_id == owner_id, t.c.status == DealStatus.OPEN).order_by(t.c.id)))

    def open_of_customer(self, customer_id: int) -> list[Deal]:
        t = tables.deals
        return list(self.session.scalars(select(Deal).where(
            t.c.customer_id == customer_id, t.c.status == DealStatus.OPEN).order_by(t.c.id)))


class SqlQuotes(SqlRepository[Quote]):
    def open_for_deal(self, deal_id: int, today: date) -> list[Quote]:
        t = tables.quotes
        return list(self.session.scalars(
            select(Quote).where(t.c.deal_id == deal_id, t.c.status.in_(OPEN_STATUSES),
                                t.c.valid_until >= today).order_by(t.c.id)
        ))

    def of_deal(self, deal_id: int) -> list[Quote]:
        t = tables.quotes
        return list(self.session.scalars(select(Quote).where(t.c.deal_id == deal_id)
                                          .order_by(t.c.id)))


class SqlReminders(SqlRepository[Reminder]):
    def due(self, now: datetime, limit: int) -> list[Reminder]:
        r = tables.reminders
        query = select(Reminder).where(
            r.c.status == ReminderStatus.OPEN, r.c.due_at <= now, r.c.notified_at.is_(None)
        ).order_by(r.c.due_at, r.c.id).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return list(self.session.scalars(query))

    def open_of_user(self, user_id: int) -> list[Reminder]:
        r = tables.reminders
        return list(self.session.scalars(select(Reminder).where(
            r.c.user_id == user_id, r.c.status == ReminderStatus.OPEN
        ).order_by(r.c.due_at, r.c.id)))


_OUTBOX_COLUMNS = ("recipient_kind", "recipient", "key", "params", "dedupe_key", "status",
                   "attempts", "next_attempt_at", "created_at")


@cache
def _outbox_insert() -> Any:
    """INSERT an outbox row unless its dedupe key is there already."""
    return insert_or_skip(tables.outbox, _OUTBOX_COLUMNS, conflict=["dedupe_key"])


class SqlOutbox:
    """Outbox rows; a row whose dedupe key is already there is silently not added again."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, message: OutboxMessage) -> None:
        self.add_all([message])

    def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        if not messages:
            return
        rows = [{
            "recipient_kind": m.recipient_kind, "recipient": m.recipient,
            "key": m.key, "params": m.params, "dedupe_key": m.dedupe_key,
            "status": m.status, "attempts": m.attempts,
            "next_attempt_at": m.next_attempt_at, "created_at": m.created_at,
        } for m in messages]
        self.session.execute(_outbox_insert(), rows)


class SqlDeliveryLog:
    """Delivery ids already handled; the primary key makes the check safe across processes.

    A delivery recorded by a transaction that changed nothing else (a read, a refusal) is
    committed without waiting for the disk: it survives the process dying, and only an
    operating-system crash or a power cut in the next moment could make it forgotten. A
    transaction that changed anything else commits as durably as ever.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def handled(self, platform: str, delivery_id: str) -> bool:
        return self.session.execute(_delivery_handled(), {
            "platform": platform, "delivery_id": delivery_id[:128]}).first() is not None

    def seen(self, platform: str, delivery_id: str) -> bool:
        # ON CONFLICT, not a savepoint: on SQLite, releasing a first savepoint commits at once.
        dialect = self.session.get_bind().dialect.name
        _relax_if_nothing_written(self.session, dialect)
        return self.session.execute(_delivery_recorded(), {
            "platform": platform, "delivery_id": delivery_id[:128], "at": datetime.now(UTC),
        }).first() is None


@cache
def _delivery_handled() -> Select[Any]:
    table = tables.processed_deliveries
    return select(table.c.delivery_id).where(table.c.platform == bindparam("platform"),
                                             table.c.delivery_id == bindparam("delivery_id"))


@cache
def _delivery_recorded() -> Any:
    """INSERT the delivery unless recorded already, RETURNING it when inserted."""
    table = tables.processed_deliveries
    return insert_or_skip(table, ("platform", "delivery_id", "at"),
                          returning=table.c.delivery_id)


WROTE = "ltc_wrote"  # session.info: a flush of this transaction wrote entities


def _note_writes(session: Session, flush_context: Any) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[WROTE] = True


def install(session_class: type[Session]) -> None:
    """Note on each session whether its transaction has written entities (see below)."""
    if not event.contains(session_class, "after_flush", _note_writes):
        event.listen(session_class, "after_flush", _note_writes)


def _relax_if_nothing_written(session: Session, dialect: str) -> None:
    """Let the commit skip waiting for the disk when the transaction has written nothing yet.

    PostgreSQL: `synchronous_commit` off for this transaction alone, when it has no
    transaction id (a transaction gets one at its first write). SQLite: the driver begins a
    transaction at the first write, so none is open yet; `synchronous=NORMAL` then holds
    until the connection goes back to the pool (see `storage.database.make_engine`).
    """
    if session.new or session.dirty or session.deleted or session.info.get(WROTE):
        return  # durable, with no need to ask the database
    if dialect == "postgresql":
        session.execute(text("SELECT set_config('synchronous_commit', 'off', true) "
                             "WHERE txid_current_if_assigned() IS NULL"))
        return
    if dialect != "sqlite":
        return
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if raw is None or getattr(raw, "in_transaction", True):
        return
    connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
    connection.connection.info[RELAXED] = True

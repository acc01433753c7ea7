"""An in-memory unit of work for fast domain tests: dict-backed repositories, no database.

Like a database session, new records get their ids when flushed (explicitly, on commit, or
before any read), and so do the lines, installments and allocations they hold; so a use
case that forgets to flush before using an id is caught.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar, cast

from domain.events import Event
from domain.model.activities import Activity
from domain.model.credit_notes import CreditNote
from domain.model.customers import Contact, Customer
from domain.model.deals import Deal, StageChange
from domain.model.invoices import Invoice
from domain.model.leads import Lead, LeadStatus
from domain.model.orders import Order
from domain.model.payments import Payment, bank_ref_key
from domain.model.products import Product, StockMove
from domain.model.quotes import OPEN_STATUSES, LineInput, Quote
from domain.model.reminders import Reminder, ReminderStatus
from domain.model.satisfaction import Survey
from domain.model.spend import Spend
from domain.model.users import Identity, Invite, LinkCode, Role, User
from domain.money import Money
from domain.orders import accept_quote
from domain.outbox import OutboxMessage
from domain.quotes import draft_quote
from domain.search import Token
from domain.settings import Settings
from domain.unit_of_work import OpenInvoice
from handlers.unit_of_work import ChatUnitOfWork, DialogState, Page, PendingImport

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 10:00 in Shanghai
TODAY = date(2026, 11, 23)


class _HasId(Protocol):
    id: int | None


E = TypeVar("E", bound=_HasId)


class _Ids:
    """One id sequence per record type, as each table has its own."""

    def __init__(self) -> None:
        self._last: dict[type[Any], int] = {}

    def assign(self, obj: _HasId) -> None:
        if obj.id is None:
            obj.id = self._last.get(type(obj), 0) + 1
        self._last[type(obj)] = max(self._last.get(type(obj), 0), obj.id)

    def cascade(self, obj: object) -> None:
        """Give ids to the records an entity holds in list fields (lines, allocations, ...)."""
        if not dataclasses.is_dataclass(obj):
            return
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, list):
                for child in value:
                    if hasattr(child, "id") and dataclasses.is_dataclass(child):
                        self.assign(cast(_HasId, child))
                        self.cascade(child)


class FakeRepository(Generic[E]):
    """Records of one kind by id; added records wait for a flush to get their id, as in a
    database."""

    def __init__(self, kind: type[E], ids: _Ids, autoflush: Callable[[], None]) -> None:
        self.kind = kind
        self.rows: dict[int, E] = {}
        self._pending: list[E] = []
        self._ids = ids
        self._autoflush = autoflush

    def add(self, obj: E) -> None:
        if obj.id is not None:
            self._ids.assign(obj)
            self.rows[obj.id] = obj
        elif all(obj is not p for p in self._pending):
            self._pending.append(obj)

    def get(self, id_: int) -> E | None:
        self._autoflush()
        return self.rows.get(id_)

    def flush(self) -> None:
        for obj in self._pending:
            self._ids.assign(obj)
            self.rows[obj.id or 0] = obj
        self._pending.clear()
        for obj in self.rows.values():
            self._ids.cascade(obj)

    def all(self) -> list[E]:
        """Every record, in id order."""
        self._autoflush()
        return [self.rows[i] for i in sorted(self.rows)]


class FakeUsers(FakeRepository[User]):
    def by_username(self, username: str) -> User | None:
        return next((u for u in self.all() if u.username == username), None)

    def count(self) -> int:
        return len(self.all())

    def with_role(self, role: Role, team: str | None) -> list[User]:
        # Like the SQL: active users of the role in the team or in no team.
        return [u for u in self.all() if u.role == role and u.active
                and (team is None or u.team in (team, None))]

    def first_joined(self) -> datetime | None:
        return min((u.created_at for u in self.all()), default=None)

    def of_customer(self, customer_id: int) -> list[User]:
        return [u for u in self.all() if u.role == Role.CUSTOMER and u.active
                and u.customer_id == customer_id]


class FakeIdentities(FakeRepository[Identity]):
    def __init__(self, kind: type[Identity], ids: _Ids, autoflush: Callable[[], None],
                 users: FakeUsers) -> None:
        super().__init__(kind, ids, autoflush)
        self.users = users

    def find(self, platform: str, external_id: str) -> Identity | None:
        return next((i for i in self.all()
                     if i.platform == platform and i.external_id == external_id), None)

    def user_of(self, platform: str, external_id: str) -> User | None:
        identity = self.find(platform, external_id)
        return self.users.get(identity.user_id) if identity else None


class FakeInvites(FakeRepository[Invite]):
    def by_code(self, code: str) -> Invite | None:
        return next((i for i in self.all() if i.code == code), None)


class FakeLinkCodes(FakeRepository[LinkCode]):
    def by_code(self, code: str) -> LinkCode | None:
        return next((c for c in self.all() if c.code == code), None)


def _resembles(key: str, name_key: str, fragments: Sequence[str]) -> bool:
    """The storage's look-alike rule without its bound: the same key, or a word that starts
    with a fragment (a word with Chinese characters: contains it)."""
    if key == name_key:
        return True
    words = key.split()
    return any(word.startswith(f) or (f in word and any("\u3400" <= ch <= "\u9fff"
                                                        for ch in word))
               for f in fragments for word in words)


class FakeLeads(FakeRepository[Lead]):
    def add_many(self, leads: Sequence[Lead]) -> None:
        for lead in leads:
            self.add(lead)
        self.flush()

    def open_of_owner(self, owner_id: int) -> list[Lead]:
        return [lead for lead in self.all()
                if lead.owner_id == owner_id and lead.status == LeadStatus.NEW]

    def open_by_name_key(self, name_key: str) -> list[Lead]:
        return [lead for lead in self.all()
                if lead.name_key == name_key and lead.status == LeadStatus.NEW]

    def name_keys(self, fragments: Sequence[str] = ()) -> Sequence[tuple[int, str, str]]:
        return [(lead.id or 0, lead.name_key, lead.company) for lead in self.all()
                if lead.status == LeadStatus.NEW
                and (not fragments or any(f in lead.name_key for f in fragments))]

    def look_alikes(self, name_key: str,
                    fragments: Sequence[str]) -> Sequence[tuple[int, str, str]]:
        return [(lead.id or 0, lead.name_key, lead.company) for lead in self.all()
                if lead.status == LeadStatus.NEW and _resembles(lead.name_key, name_key,
                                                                 fragments)]


class FakeCustomers(FakeRepository[Customer]):
    def by_name_key(self, name_key: str) -> Customer | None:
        return next((c for c in self.all() if c.name_key == name_key), None)

    def of_owner(self, owner_id: int) -> list[Customer]:
        return [c for c in self.all() if c.owner_id == owner_id]

    def name_keys(self, fragments: Sequence[str] = ()) -> Sequence[tuple[int, str, str]]:
        return [(c.id or 0, c.name_key, c.name) for c in self.all()
                if not fragments or any(f in c.name_key for f in fragments)]

    def look_alikes(self, name_key: str,
                    fragments: Sequence[str]) -> Sequence[tuple[int, str, str]]:
        return [(c.id or 0, c.name_key, c.name) for c in self.all()
                if _resembles(c.name_key, name_key, fragments)]


class FakePool:
    """The pool over the fake leads and customers; a claim checks `in_pool` as the SQL
    conditional UPDATE does."""

    def __init__(self, leads: FakeLeads, customers: FakeCustomers,
                 orders: FakeRepository[Order]) -> None:
        self.leads = leads
        self.customers = customers
        self.orders = orders
        self.turns: dict[str, int] = {}

    def take(self, kind: str, id_: int, owner_id: int, team: str | None,
             now: datetime) -> bool:
        record = (self.leads if kind == "lead" else self.customers).get(id_)
        if record is None or not record.in_pool:
            return False
        record.in_pool, record.owner_id, record.team, record.touched_at = \
            False, owner_id, team, now
        return True

    def owned(self, user_id: int) -> int:
        leads = [lead for lead in self.leads.all() if lead.owner_id == user_id
                 and lead.status == LeadStatus.NEW and not lead.in_pool]
        return len(leads) + len([c for c in self.customers.all()
                                 if c.owner_id == user_id and not c.in_pool])

    def neglected_leads(self, before: datetime, limit: int) -> list[Lead]:
        found = [lead for lead in self.leads.all() if lead.status == LeadStatus.NEW
                 and not lead.in_pool and (lead.touched_at or lead.created_at) < before]
        return sorted(found, key=lambda lead: (lead.touched_at or lead.created_at))[:limit]

    def neglected_customers(self, before: datetime, limit: int) -> list[Customer]:
        clients = {o.customer_id for o in self.orders.all()}
        found = [c for c in self.customers.all() if not c.in_pool and c.id not in clients
                 and (c.touched_at or c.created_at) < before]
        return sorted(found, key=lambda c: (c.touched_at or c.created_at))[:limit]

    def last_turn(self, scope: str) -> int | None:
        return self.turns.get(scope)

    def set_turn(self, scope: str, user_id: int) -> None:
        self.turns[scope] = user_id

    def by_external_id(self, external_id: str) -> Lead | None:
        return next((lead for lead in self.leads.all() if lead.external_id == external_id),
                    None)


class FakeContacts(FakeRepository[Contact]):
    def of_customer(self, customer_id: int) -> list[Contact]:
        return [c for c in self.all() if c.customer_id == customer_id]


class FakeDeals(FakeRepository[Deal]):
    def __init__(self, ids: _Ids, autoflush: Callable[[], None],
                 history: list[StageChange]) -> None:
        super().__init__(Deal, ids, autoflush)
        self.history = history

    def add_stage_change(self, change: StageChange) -> None:
        change.id = len(self.history) + 1
        self.history.append(change)

    def open_of_owner(self, owner_id: int) -> list[Deal]:
        return [d for d in self.all() if d.owner_id == owner_id and d.is_open]

    def open_of_customer(self, customer_id: int) -> list[Deal]:
        return [d for d in self.all() if d.customer_id == customer_id and d.is_open]


class FakeQuotes(FakeRepository[Quote]):
    def open_for_deal(self, deal_id: int, today: date) -> list[Quote]:
        return [q for q in self.all() if q.deal_id == deal_id and q.status in OPEN_STATUSES
                and q.valid_until >= today]

    def of_deal(self, deal_id: int) -> list[Quote]:
        return [q for q in self.all() if q.deal_id == deal_id]


class FakeReminders(FakeRepository[Reminder]):
    def due(self, now: datetime, limit: int) -> list[Reminder]:
        due = [r for r in self.all() if r.status == ReminderStatus.OPEN and r.due_at <= now
               and r.notified_at is None]
        return sorted(due, key=lambda r: (r.due_at, r.id or 0))[:limit]

    def open_of_user(self, user_id: int) -> list[Reminder]:
        found = [r for r in self.all() if r.user_id == user_id and r.status == ReminderStatus.OPEN]
        return sorted(found, key=lambda r: (r.due_at, r.id or 0))


class FakeInvoices(FakeRepository[Invoice]):
    def by_number(self, number: str) -> Invoice | None:
        return next((i for i in self.all() if i.number == number), None)

    def of_order(self, order_id: int) -> list[Invoice]:
        return sorted((i for i in self.all() if i.order_id == order_id),
                      key=lambda i: (i.year, i.seq))

    def open_of_customer(self, customer_id: int, currency: str) -> list[Invoice]:
        found = [i for i in self.all() if i.customer_id == customer_id
                 and i.currency == currency and not i.is_void and i.outstanding > 0]
        return sorted(found, key=lambda i: (i.due_on, i.issued_on, i.year, i.seq))


class FakeCreditNotes(FakeRepository[CreditNote]):
    def by_number(self, number: str) -> CreditNote | None:
        return next((n for n in self.all() if n.number == number), None)


class FakePayments(FakeRepository[Payment]):
    def by_ref(self, ref: str) -> Payment | None:
        key = bank_ref_key(ref)
        return next((p for p in self.all() if p.ref_key == key), None)

    def with_credit(self, customer_id: int, currency: str) -> list[Payment]:
        found = [p for p in self.all() if p.customer_id == customer_id
                 and p.currency == currency and p.unallocated > 0]
        return sorted(found, key=lambda p: (p.received_on, p.id or 0))


class FakeProducts(FakeRepository[Product]):
    """Products and their stock moves; reservations computed from the orders, as the SQL
    computes them; `locks` notes which products were locked, in order."""

    def __init__(self, ids: _Ids, autoflush: Callable[[], None],
                 orders: FakeRepository[Order]) -> None:
        super().__init__(Product, ids, autoflush)
        self.orders = orders
        self.stock_moves: list[StockMove] = []
        self.locks: list[list[int]] = []

    def by_sku(self, sku: str) -> Product | None:
        return next((p for p in self.all() if p.sku == sku), None)

    def search(self, text: str, limit: int) -> list[Product]:
        wanted = text.strip().lower()
        found = [p for p in self.all() if wanted in p.sku.lower() or wanted in p.name.lower()]
        return sorted(found, key=lambda p: p.sku)[:limit]

    def locked(self, ids: Sequence[int]) -> list[Product]:
        wanted = sorted(set(ids))
        self.locks.append(wanted)
        return [p for p in (self.get(i) for i in wanted) if p is not None]

    def reserved(self, ids: Sequence[int], excluding_order: int | None = None
                 ) -> dict[int, Decimal]:
        held: dict[int, Decimal] = {}
        for order in self.orders.all():
            if order.id == excluding_order:
                continue
            for product_id, quantity in order.reserved().items():
                if product_id in ids:
                    held[product_id] = held.get(product_id, Decimal(0)) + quantity
        return held

    def low(self, limit: int) -> list[tuple[Product, Decimal]]:
        active = [p for p in self.all() if p.active and p.stocked]
        held = self.reserved([p.id or 0 for p in active])
        found = [(p, p.on_hand - held.get(p.id or 0, Decimal(0))) for p in active]
        low = [(p, free) for p, free in found if free <= p.min_stock]
        return sorted(low, key=lambda pair: (pair[1] - pair[0].min_stock, pair[0].sku))[:limit]

    def add_move(self, move: StockMove) -> None:
        move.id = len(self.stock_moves) + 1
        self.stock_moves.append(move)

    def moves(self, product_id: int, limit: int) -> list[StockMove]:
        return [m for m in reversed(self.stock_moves) if m.product_id == product_id][:limit]


class FakeSurveys(FakeRepository[Survey]):
    def of_order(self, order_id: int, user_id: int) -> Survey | None:
        return next((s for s in self.all() if s.order_id == order_id and s.user_id == user_id),
                    None)

    def latest_of_user(self, user_id: int) -> Survey | None:
        mine = [s for s in self.all() if s.user_id == user_id]
        return max(mine, key=lambda s: (s.answered_at or s.asked_at, s.id or 0), default=None)


class FakeOutbox(list[OutboxMessage]):
    """The outbox is a plain list of the messages queued, in order."""

    def add(self, message: OutboxMessage) -> None:
        # Like the unique index: a dedupe key already queued is silently not added again.
        if any(m.dedupe_key == message.dedupe_key for m in self):
            return
        message.id = len(self) + 1
        self.append(message)

    def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        for message in messages:
            self.add(message)


class FakeDeliveryLog:
    def __init__(self) -> None:
        self.recorded: set[tuple[str, str]] = set()

    def handled(self, platform: str, delivery_id: str) -> bool:
        return (platform, delivery_id) in self.recorded

    def seen(self, platform: str, delivery_id: str) -> bool:
        key = (platform, delivery_id)
        if key in self.recorded:
            return True
        self.recorded.add(key)
        return False


class FakeDialogs:
    def __init__(self) -> None:
        self.states: dict[tuple[str, str, int], DialogState] = {}

    def get(self, platform: str, chat_id: str, user_id: int) -> DialogState | None:
        return self.states.get((platform, chat_id, user_id))

    def save(self, state: DialogState) -> None:
        self.states[(state.platform, state.chat_id, state.user_id)] = state

    def delete(self, platform: str, chat_id: str, user_id: int) -> None:
        self.states.pop((platform, chat_id, user_id), None)


class FakeNumbers:
    """Gapless numbers per series and year."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, int], int] = {}

    def next(self, series: str, year: int) -> int:
        number = self.last.get((series, year), 0) + 1
        self.last[(series, year)] = number
        return number


class FakeLedgers:
    """Locks are only noted (one process, nothing to wait for); currencies come from orders."""

    def __init__(self, orders: FakeRepository[Order], invoices: FakeInvoices,
                 locked: list[int]) -> None:
        self.orders = orders
        self.invoices = invoices
        self.locked = locked

    def lock(self, customer_id: int) -> None:
        self.locked.append(customer_id)

    def lock_of_invoice(self, number: str) -> int | None:
        invoice = self.invoices.by_number(number)
        if invoice is None:
            return None
        self.lock(invoice.customer_id)
        return invoice.customer_id

    def currencies(self, customer_id: int) -> set[str]:
        return {o.currency for o in self.orders.all() if o.customer_id == customer_id}


class FakeDunningLog:
    """Open invoices found as the SQL finds them; the levels reached kept in a set."""

    def __init__(self, invoices: FakeInvoices, customers: FakeCustomers) -> None:
        self.invoices = invoices
        self.customers = customers
        self.marked: set[tuple[int, int]] = set()

    def open_invoices(self, today: date, min_days_past_due: int) -> list[OpenInvoice]:
        latest_due = today - timedelta(days=min_days_past_due)
        found: list[OpenInvoice] = []
        for i in self.invoices.all():
            customer = self.customers.get(i.customer_id)
            if i.outstanding <= 0 or i.credited > 0 or i.due_on > latest_due or not customer:
                continue
            found.append(OpenInvoice(id=i.id or 0, number=i.number, customer_id=i.customer_id,
                                     customer=customer.name, owner_id=i.owner_id, team=i.team,
                                     currency=i.currency, outstanding=i.outstanding,
                                     due_on=i.due_on))
        return sorted(found, key=lambda o: (o.customer_id, o.due_on, o.id))

    def marks(self, invoice_ids: list[int]) -> set[tuple[int, int]]:
        return {(i, level) for i, level in self.marked if i in invoice_ids}

    def mark(self, invoice_id: int, level: int, on: date) -> None:
        if (invoice_id, level) in self.marked:  # like the primary key
            raise AssertionError(f"level {level} of invoice {invoice_id} marked twice")
        self.marked.add((invoice_id, level))

    def mark_all(self, marks: Sequence[tuple[int, int]], on: date) -> None:
        for invoice_id, level in marks:
            self.mark(invoice_id, level, on)


def _sql_only(name: str) -> NotImplementedError:
    return NotImplementedError(f"{name} is read-side SQL; test it on a database")


class FakeImports:
    """Spreadsheets waiting for their sender's answer, in a dict."""

    def __init__(self) -> None:
        self.files: dict[int, PendingImport] = {}

    def add(self, user_id: int, kind: str, name: str, data: bytes, duplicates: str,
            now: datetime) -> int:
        id_ = len(self.files) + 1
        self.files[id_] = PendingImport(id_, user_id, kind, name, data, duplicates)
        return id_

    def get(self, id_: int) -> PendingImport | None:
        return self.files.get(id_)

    def delete(self, id_: int) -> None:
        self.files.pop(id_, None)

    def prune(self, before: datetime) -> int:
        return 0


class FakeQueries:
    """The read side is SQL and is tested against a database; no domain use case reads it."""

    def leads(self, *, owner_id: int | None, team: str | None, status: str | None,
              page: int, per_page: int, by_score: bool = False) -> Page:
        raise _sql_only("queries.leads")

    def pool(self, *, team: str | None, source: str | None, page: int,
             per_page: int) -> Page:
        raise _sql_only("queries.pool")

    def contact_points(self, kind: str) -> list[tuple[int, str, str | None, str | None]]:
        raise _sql_only("queries.contact_points")

    def opening_balances(self) -> dict[str, int]:
        raise _sql_only("queries.opening_balances")

    def deals(self, *, owner_id: int | None, team: str | None, stage: str | None,
              page: int, per_page: int) -> Page:
        raise _sql_only("queries.deals")

    def deal_history(self, deal_id: int, limit: int) -> list[dict[str, Any]]:
        raise _sql_only("queries.deal_history")

    def reminders_open(self, user_id: int, page: int, per_page: int) -> Page:
        raise _sql_only("queries.reminders_open")

    def users(self) -> list[dict[str, Any]]:
        raise _sql_only("queries.users")

    def quotes_of_deal(self, deal_id: int) -> list[dict[str, Any]]:
        raise _sql_only("queries.quotes_of_deal")

    def deal_totals(self, deal_id: int) -> dict[str, Decimal]:
        raise _sql_only("queries.deal_totals")

    def last_activity(self, customer_id: int) -> datetime | None:
        raise _sql_only("queries.last_activity")

    def named(self, kind: str, text: str, *, owner_id: int | None, team: str | None,
              limit: int) -> list[tuple[int, str]]:
        raise _sql_only("queries.named")

    def find(self, tokens: Sequence[Token], *, owner_id: int | None, team: str | None,
             page: int, per_page: int) -> Page:
        raise _sql_only("queries.find")

    def history(self, entries: Sequence[tuple[str, int]], page: int, per_page: int) -> Page:
        raise _sql_only("queries.history")


class FakeCashQueries:
    """Cash lists are SQL aggregates; they are tested against a database."""

    def invoices(self, *, owner_id: int | None, team: str | None, customer_id: int | None,
                 scope: str, today: date, page: int, per_page: int) -> Page:
        raise _sql_only("cash_queries.invoices")

    def invoice_totals(self, *, owner_id: int | None, team: str | None,
                       customer_id: int | None, scope: str, today: date) -> list[dict[str, Any]]:
        raise _sql_only("cash_queries.invoice_totals")

    def customer_deals(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        raise _sql_only("cash_queries.customer_deals")

    def customer_orders(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        raise _sql_only("cash_queries.customer_orders")

    def customer_deliveries(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        raise _sql_only("cash_queries.customer_deliveries")

    def customer_payments(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        raise _sql_only("cash_queries.customer_payments")

    def customer_balances(self, customer_id: int, today: date) -> list[dict[str, Any]]:
        raise _sql_only("cash_queries.customer_balances")


class FakeReports:
    """Reports are SQL aggregates; they are tested against a database."""

    def __getattr__(self, name: str) -> Any:
        raise _sql_only(f"reports.{name}")


class FakeUnitOfWork:
    """`with uow:` starts afresh; `commit()` sets `committed`; leaving without it does not.

    Fits the chat unit of work by construction: mypy checks it wherever the port is expected.
    """

    def __init__(self) -> None:
        ids, flush = _Ids(), self.flush
        self.stage_changes: list[StageChange] = []
        self.messages = FakeOutbox()
        self.users = FakeUsers(User, ids, flush)
        self.identities = FakeIdentities(Identity, ids, flush, self.users)
        self.invites = FakeInvites(Invite, ids, flush)
        self.link_codes = FakeLinkCodes(LinkCode, ids, flush)
        self.leads = FakeLeads(Lead, ids, flush)
        self.customers = FakeCustomers(Customer, ids, flush)
        self.contacts = FakeContacts(Contact, ids, flush)
        self.deals = FakeDeals(ids, flush, self.stage_changes)
        self.activities = FakeRepository(Activity, ids, flush)
        self.reminders = FakeReminders(Reminder, ids, flush)
        self.quotes = FakeQuotes(Quote, ids, flush)
        self.orders = FakeRepository(Order, ids, flush)
        self.invoices = FakeInvoices(Invoice, ids, flush)
        self.payments = FakePayments(Payment, ids, flush)
        self.credit_notes = FakeCreditNotes(CreditNote, ids, flush)
        self.spend = FakeRepository(Spend, ids, flush)
        self.products = FakeProducts(ids, flush, self.orders)
        self.surveys = FakeSurveys(Survey, ids, flush)
        self.numbers = FakeNumbers()
        self.locked_customers: list[int] = []
        self.ledgers = FakeLedgers(self.orders, self.invoices, self.locked_customers)
        self.dunning = FakeDunningLog(self.invoices, self.customers)
        self.reports = FakeReports()
        self.pool = FakePool(self.leads, self.customers, self.orders)
        self.outbox = self.messages
        self.deliveries = FakeDeliveryLog()
        self.dialogs = FakeDialogs()
        self.queries = FakeQueries()
        self.imports = FakeImports()
        self.cash_queries = FakeCashQueries()
        self._repos: dict[type[Any], FakeRepository[Any]] = {
            repo.kind: repo for repo in vars(self).values() if isinstance(repo, FakeRepository)}
        self.events: list[Event] = []
        self.actor_id: int | None = None
        self.action = ""
        self.at: datetime | None = None
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self.events = []
        self.committed = False
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.rollback()

    def flush(self) -> None:
        for repo in self._repos.values():
            repo.flush()

    def trial(self) -> AbstractContextManager[None]:
        raise _sql_only("trial")

    def commit(self) -> None:
        self.flush()
        self.committed = True

    def rollback(self) -> None:
        # In-memory changes stay; only the flag tells a test nothing was made durable.
        self.committed = False

    def stored(self, cls: type[E]) -> list[E]:
        """Every stored record of one kind, in id order (e.g. `uow.stored(Contact)`)."""
        repo: FakeRepository[E] = self._repos[cls]
        return repo.all()


def as_unit_of_work(uow: FakeUnitOfWork) -> ChatUnitOfWork:
    """The fake where the port is expected; mypy checks that it fits the protocol."""
    return uow


def add_person(
    uow: FakeUnitOfWork, username: str, role: Role, team: str | None = "east",
    *, locale: str = "en",
) -> User:
    """A stored user with an id, as a test's cast member."""
    user = User(username=username, display_name=username.title(), role=role, team=team,
                locale=locale, timezone="Asia/Shanghai", created_at=NOW)
    uow.users.add(user)
    uow.flush()
    return user


def given_deal(
    uow: FakeUnitOfWork, owner: User, *, amount: str | None = "100000", currency: str = "CNY",
    title: str = "Acme servers", settings: Settings | None = None,
) -> Deal:
    """A stored open deal of the owner, at the first stage, with its customer."""
    settings = settings or Settings()
    customer = Customer(name=title, name_key=title.lower(), owner_id=owner.id or 0,
                        team=owner.team, created_at=NOW)
    uow.customers.add(customer)
    uow.flush()
    stage = settings.first_stage
    deal = Deal(title=title, customer_id=customer.id or 0, owner_id=owner.id or 0,
                team=owner.team, stage=stage.key, probability=stage.probability,
                currency=currency, created_at=NOW, last_activity_at=NOW,
                amount=Decimal(amount) if amount is not None else None)
    uow.deals.add(deal)
    uow.flush()
    return deal


def given_order(
    uow: FakeUnitOfWork, owner: User, *, plan: str = "30/60/10", currency: str = "CNY",
    lines: Sequence[tuple[str, str, str]] = (("10", "Server", "1000"), ("5", "Rack", "200")),
    tax: str = "0", signed_on: date = TODAY,
) -> Order:
    """A stored order made the real way: a deal, a quote on it, the quote accepted."""
    deal = given_deal(uow, owner, currency=currency)
    quote = draft_quote(
        uow, owner, deal.id or 0,
        [LineInput(Decimal(q), item, Money(Decimal(p), currency)) for q, item, p in lines],
        Settings(), NOW, signed_on, tax=Decimal(tax))
    order = accept_quote(uow, owner, quote.id or 0, Settings(), NOW, signed_on, plan=plan)
    uow.events.clear()
    return order

"""The unit of work the conversation talks to: the domain's, and what only chat needs.

Handlers remember which deliveries they served and where an unfinished dialog stands, and
read lists and cards through read-side SQL (`Queries`, `CashQueries`), a page at a time, and
reports through `Reports` (the digests' figures, which the domain reads too, and more). No
use case needs the rest, so it is no part of the domain's port; storage implements both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from domain.reports import DigestFigures, Scope, Window
from domain.search import Token
from domain.unit_of_work import UnitOfWork


class DeliveryLog(Protocol):
    def handled(self, platform: str, delivery_id: str) -> bool:
        """True if this delivery was recorded before; records nothing."""
        ...

    def seen(self, platform: str, delivery_id: str) -> bool:
        """True if this delivery was handled before; otherwise remember it (with the rest
        of the transaction)."""
        ...


@dataclass
class DialogState:
    """An unfinished multi-step dialog of one user in one chat: which dialog, which step,
    and the answers so far (text, as the user wrote them); `set_aside` while another
    command interrupted it and the user has not asked to resume it."""

    platform: str
    chat_id: str
    user_id: int
    name: str
    step: int
    answers: dict[str, str]
    updated_at: datetime
    set_aside: bool = False


class DialogRepository(Protocol):
    def get(self, platform: str, chat_id: str, user_id: int) -> DialogState | None: ...

    def save(self, state: DialogState) -> None: ...

    def delete(self, platform: str, chat_id: str, user_id: int) -> None: ...


@dataclass(frozen=True)
class Page:
    """One page of a list and whether there is more; `capped`: the list stops short of all
    there is (a search too broad to rank every match)."""

    rows: list[dict[str, Any]]
    page: int
    has_more: bool
    capped: bool = False


class Queries(Protocol):
    """Read-side queries for lists and cards; each is one or a few SQL statements."""

    def leads(self, *, owner_id: int | None, team: str | None, status: str | None,
              page: int, per_page: int, by_score: bool = False) -> Page:
        """Leads (not pooled ones when narrowed to an owner), newest or best scored first."""
        ...

    def pool(self, *, team: str | None, source: str | None, page: int,
             per_page: int) -> Page:
        """Leads and customers in the public pool of `team` (and of no team; None: all)."""
        ...

    def contact_points(self, kind: str) -> list[tuple[int, str, str | None, str | None]]:
        """(id, name, phone, email) of every open lead ("lead") or customer ("customer"):
        what an import compares its rows with."""
        ...

    def opening_balances(self) -> dict[str, int]:
        """The invoice numbers of other systems already brought in as opening balances, with
        the deal each became."""
        ...

    def deals(self, *, owner_id: int | None, team: str | None, stage: str | None,
              page: int, per_page: int) -> Page: ...

    def deal_history(self, deal_id: int, limit: int) -> list[dict[str, Any]]: ...

    def reminders_open(self, user_id: int, page: int, per_page: int) -> Page: ...

    def users(self) -> list[dict[str, Any]]: ...

    def quotes_of_deal(self, deal_id: int) -> list[dict[str, Any]]: ...

    def deal_totals(self, deal_id: int) -> dict[str, Decimal]: ...

    def last_activity(self, customer_id: int) -> datetime | None: ...

    def named(self, kind: str, text: str, *, owner_id: int | None, team: str | None,
              limit: int) -> list[tuple[int, str]]:
        """(id, name) of customers or deals whose name contains `text`."""
        ...

    def find(self, tokens: Sequence[Token], *, owner_id: int | None, team: str | None,
             page: int, per_page: int) -> Page:
        """Leads, customers, contacts and deals whose search terms start with every token,
        best first: kind, id, score, name, phone, email, contact, lead_status, title,
        customer_id, customer, stage, deal_status, amount, currency, owner."""
        ...

    def history(self, entries: Sequence[tuple[str, int]], page: int, per_page: int) -> Page:
        """Audit rows of these (entity, id) pairs, newest first: id, at, action, entity,
        entity_id, before, after, actor."""
        ...


class CashQueries(Protocol):
    """Read-side SQL for the cash lists and the customer card; statuses derived in SQL."""

    def invoices(self, *, owner_id: int | None, team: str | None, customer_id: int | None,
                 scope: str, today: date, page: int, per_page: int) -> Page:
        """Invoices with paid, credited, outstanding and status; scope open|overdue|all."""
        ...

    def invoice_totals(self, *, owner_id: int | None, team: str | None,
                       customer_id: int | None, scope: str, today: date) -> list[dict[str, Any]]:
        """Per currency: how many invoices, outstanding and overdue amounts."""
        ...

    def customer_deals(self, customer_id: int, limit: int) -> list[dict[str, Any]]: ...

    def customer_orders(self, customer_id: int, limit: int) -> list[dict[str, Any]]:
        """Orders with delivered, invoiced, paid, outstanding and the derived status."""
        ...

    def customer_deliveries(self, customer_id: int, limit: int) -> list[dict[str, Any]]: ...

    def customer_payments(self, customer_id: int, limit: int) -> list[dict[str, Any]]: ...

    def customer_balances(self, customer_id: int, today: date) -> list[dict[str, Any]]:
        """Per currency: invoiced, paid, outstanding, overdue and credit."""
        ...


# The columns of each CSV export, in order; `Reports.export` yields its rows this way.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "deals": ("deal", "title", "customer", "owner", "team", "stage", "status", "currency",
              "amount", "probability", "close_date", "source", "created_at", "closed_at",
              "last_activity_at", "lost_reason"),
    "invoices": ("invoice", "customer", "order", "owner", "team", "currency", "total", "paid",
                 "credited", "outstanding", "status", "issued_on", "due_on"),
    "payments": ("payment", "customer", "owner", "currency", "amount", "allocated", "credit",
                 "received_on", "method", "ref", "invoice"),
    "activities": ("activity", "at", "user", "kind", "about", "customer", "text"),
}


class Reports(DigestFigures, Protocol):
    """Every report's aggregates: the digests' figures and those the report commands and the
    CSV export read (storage implements it; see `DigestFigures` for the units).
    """

    def pipeline(self, scope: Scope, close: Window | None) -> list[dict[str, Any]]:
        """Open deals by stage and currency: stage, currency, deals, amount, weighted
        (optionally only those expected to close within `close`); then one row per currency
        with stage None: its totals."""
        ...

    def undated(self, scope: Scope) -> list[dict[str, Any]]:
        """Open deals without an expected close date, per currency: deals, amount, weighted."""
        ...

    def funnel(self, scope: Scope, period: Window, by: str,
               buckets: Sequence[Window] = (), bands: tuple[int, int] = (60, 30)
               ) -> list[dict[str, Any]]:
        """Leads created in the period, grouped `by` "source", "month" (the buckets), "score"
        (keys "1hot", "2warm", "3cold" by the (hot, warm) `bands`) or "all":
        key, leads, qualified, quoted, won."""
        ...

    def lead_response(self, scope: Scope, period: Window) -> dict[str, Any]:
        """Leads created in the period: leads, answered (with an activity after creation) and
        the seconds to each one's first activity, summed."""
        ...

    def new_customers(self, period: Window) -> list[dict[str, Any]]:
        """Customers whose first won deal closed in the period, by that deal's lead source."""
        ...

    def spend(self, period: Window) -> list[dict[str, Any]]:
        """Spend booked for the months of the period: source, currency, amount."""
        ...

    def customer_value(self, scope: Scope, until: date) -> list[dict[str, Any]]:
        """Orders signed before `until` per currency: revenue and distinct customers."""
        ...

    def receivables(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Per currency: outstanding at the period's end and net invoiced within it."""
        ...

    def aging(self, scope: Scope, today: date, limit: int) -> list[dict[str, Any]]:
        """Outstanding by customer and currency in buckets current, days_1_30, days_31_60,
        days_61_90, days_90_plus, with total; the largest totals first."""
        ...

    def spend_of(self, source: str, month: date) -> list[dict[str, Any]]:
        """One source's spend in one month per currency: amount, entries."""
        ...

    def received_totals(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Payments received in the period per currency: currency, payments, amount."""
        ...

    def received_latest(self, scope: Scope, period: Window, limit: int) -> list[dict[str, Any]]:
        """The period's latest payments: id, customer, amount, currency, received_on, method."""
        ...

    def export(self, kind: str, scope: Scope, period: Window | None,
               today: date) -> Iterator[tuple[Any, ...]]:
        """The rows of a CSV export (deals, invoices, payments, activities), fetched from
        the database in batches as the caller reads them."""
        ...


@dataclass(frozen=True)
class PendingImport:
    """A spreadsheet sent with /import, kept until its sender confirms or cancels it."""

    id: int
    user_id: int
    kind: str
    name: str
    data: bytes
    duplicates: str  # "skip" or "merge"


class PendingImports(Protocol):
    def add(self, user_id: int, kind: str, name: str, data: bytes, duplicates: str,
            now: datetime) -> int: ...

    def get(self, id_: int) -> PendingImport | None: ...

    def delete(self, id_: int) -> None: ...

    def prune(self, before: datetime) -> int:
        """Forget files nobody confirmed since `before`; returns how many."""
        ...


class ChatUnitOfWork(UnitOfWork, Protocol):
    """The domain's unit of work with the delivery log, dialogs, read-side queries and every
    report's aggregates."""

    @property
    def deliveries(self) -> DeliveryLog: ...
    @property
    def dialogs(self) -> DialogRepository: ...
    @property
    def queries(self) -> Queries: ...
    @property
    def cash_queries(self) -> CashQueries: ...
    @property
    def reports(self) -> Reports: ...
    @property
    def imports(self) -> PendingImports: ...

    def trial(self) -> AbstractContextManager[None]:
        """What is written inside is undone at its end (a dry run); the rest of the
        transaction stays."""
        ...

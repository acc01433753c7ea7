"""The unit of work the conversation talks to: the domain's, and what only chat needs.

Handlers remember which deliveries they served and where an unfinished dialog stands, and
read lists and cards through read-side SQL (`Queries`, `CashQueries`), a page at a time. No
use case needs any of it, so it is no part of the domain's port; storage implements both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from domain.search import Token
from domain.unit_of_work import UnitOfWork


class DeliveryLog(Protocol):
    def seen(self, platform: str, delivery_id: str) -> bool:
        """True if this delivery was handled before; otherwise remember it."""
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
              page: int, per_page: int) -> Page: ...

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


class ChatUnitOfWork(UnitOfWork, Protocol):
    """The domain's unit of work with the delivery log, dialogs and read-side queries."""

    @property
    def deliveries(self) -> DeliveryLog: ...
    @property
    def dialogs(self) -> DialogRepository: ...
    @property
    def queries(self) -> Queries: ...
    @property
    def cash_queries(self) -> CashQueries: ...

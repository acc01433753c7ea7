"""The unit of work and repository ports the use cases talk to; storage implements them.

It holds only what the domain uses: the records' repositories, document numbers, the
customer ledgers, the dunning log and the figures of the weekly digests. What only the
conversation needs (delivery log, dialogs, read-side lists, the other report figures) is the
handlers' `ChatUnitOfWork`, which extends it. It names the entity types and imports no use
case, so the domain has no import circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, Self, TypeVar

if TYPE_CHECKING:
    from domain.events import Event
    from domain.model.activities import Activity
    from domain.model.credit_notes import CreditNote
    from domain.model.customers import Contact, Customer
    from domain.model.deals import Deal, StageChange
    from domain.model.invoices import Invoice
    from domain.model.leads import Lead
    from domain.model.orders import Order
    from domain.model.payments import Payment
    from domain.model.products import Product, StockMove
    from domain.model.quotes import Quote
    from domain.model.reminders import Reminder
    from domain.model.satisfaction import Survey
    from domain.model.spend import Spend
    from domain.model.users import Identity, Invite, LinkCode, Role, User
    from domain.outbox import OutboxMessage
    from domain.reports import DigestFigures

T = TypeVar("T")


class Repository(Protocol[T]):
    def add(self, obj: T) -> None: ...

    def get(self, id_: int) -> T | None: ...


class UserRepository(Repository["User"], Protocol):
    def by_username(self, username: str) -> User | None: ...

    def with_role(self, role: Role, team: str | None) -> list[User]: ...

    def first_joined(self) -> datetime | None:
        """When the first user was added: since when the company has used the bot."""
        ...

    def of_customer(self, customer_id: int) -> list[User]:
        """The active customer-role users bound to this customer account, oldest first."""
        ...


class IdentityRepository(Repository["Identity"], Protocol):
    def find(self, platform: str, external_id: str) -> Identity | None: ...

    def user_of(self, platform: str, external_id: str) -> User | None:
        """The user this chat account is linked to."""
        ...


class InviteRepository(Repository["Invite"], Protocol):
    def by_code(self, code: str) -> Invite | None: ...


class LeadRepository(Protocol):
    def add(self, obj: Lead) -> None: ...

    def add_many(self, leads: Sequence[Lead]) -> None:
        """Write many new leads at once (an import) and give each its id."""
        ...

    def get(self, id_: int) -> Lead | None: ...

    def open_of_owner(self, owner_id: int) -> list[Lead]:
        """The owner's leads still to be worked (status new), oldest first."""
        ...

    def open_by_name_key(self, name_key: str) -> list[Lead]:
        """Leads still to be worked whose normalised company name is `name_key`."""
        ...

    def name_keys(self, fragments: Sequence[str] = ()) -> Sequence[tuple[int, str, str]]:
        """(id, name_key, company) of open leads whose key contains one of the fragments
        (all open leads when none are given)."""
        ...

    def look_alikes(self, name_key: str,
                    fragments: Sequence[str]) -> Sequence[tuple[int, str, str]]:
        """(id, name_key, company) of open leads a new name might duplicate: those whose key
        is `name_key`, and those with a name word starting with a fragment (a Chinese one:
        containing it). A fragment shared by very many names yields a bounded number of
        them, the closest words first, so the answer costs the same at any size."""
        ...


class CustomerRepository(Repository["Customer"], Protocol):
    def by_name_key(self, name_key: str) -> Customer | None: ...

    def of_owner(self, owner_id: int) -> list[Customer]:
        """The customers the user owns, oldest first."""
        ...

    def name_keys(self, fragments: Sequence[str] = ()) -> Sequence[tuple[int, str, str]]:
        """(id, name_key, name) of customers whose key contains one of the fragments
        (all customers when none are given)."""
        ...

    def look_alikes(self, name_key: str,
                    fragments: Sequence[str]) -> Sequence[tuple[int, str, str]]:
        """(id, name_key, name) of customers a new name might duplicate, chosen as the open
        leads' `look_alikes` are."""
        ...


class ContactRepository(Repository["Contact"], Protocol):
    def of_customer(self, customer_id: int) -> list[Contact]:
        """The customer's contacts, in the order they were added."""
        ...


class DealRepository(Protocol):
    def add(self, obj: Deal) -> None: ...

    def get(self, id_: int) -> Deal | None: ...

    def add_stage_change(self, change: StageChange) -> None: ...

    def open_of_owner(self, owner_id: int) -> list[Deal]:
        """The owner's open deals, oldest first."""
        ...

    def open_of_customer(self, customer_id: int) -> list[Deal]:
        """The customer's open deals, oldest first."""
        ...


class QuoteRepository(Repository["Quote"], Protocol):
    def open_for_deal(self, deal_id: int, today: date) -> list[Quote]: ...

    def of_deal(self, deal_id: int) -> list[Quote]:
        """Every quote of the deal, in number order."""
        ...


class ReminderRepository(Repository["Reminder"], Protocol):
    def due(self, now: datetime, limit: int) -> list[Reminder]:
        """Open reminders due by `now` and not sent yet, oldest first."""
        ...

    def open_of_user(self, user_id: int) -> list[Reminder]:
        """The user's open reminders, soonest first."""
        ...


class PoolStore(Protocol):
    """The public pool (公海) and the turns of round-robin assignment."""

    def take(self, kind: str, id_: int, owner_id: int, team: str | None,
             now: datetime) -> bool:
        """Give a pooled lead or customer to `owner_id` if it is still in the pool, in one
        conditional UPDATE; False when someone else took it first."""
        ...

    def owned(self, user_id: int) -> int:
        """How many open leads and customers the user holds (not counting pooled ones)."""
        ...

    def neglected_leads(self, before: datetime, limit: int) -> list[Lead]:
        """Open leads outside the pool nobody has worked since `before`, oldest first."""
        ...

    def neglected_customers(self, before: datetime, limit: int) -> list[Customer]:
        """Customers without an order, outside the pool, nobody has worked since `before`."""
        ...

    def last_turn(self, scope: str) -> int | None:
        """Who had the last turn of the round robin `scope` (held until the transaction ends,
        so two transactions never give the same turn)."""
        ...

    def set_turn(self, scope: str, user_id: int) -> None: ...

    def by_external_id(self, external_id: str) -> Lead | None: ...


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> None: ...

    def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        """Each message as `add` would queue it, in one statement."""
        ...


class LinkCodeRepository(Protocol):
    def add(self, obj: LinkCode) -> None: ...

    def by_code(self, code: str) -> LinkCode | None: ...


class InvoiceRepository(Repository["Invoice"], Protocol):
    def by_number(self, number: str) -> Invoice | None: ...

    def of_order(self, order_id: int) -> list[Invoice]:
        """Every invoice of the order, void ones too, in number order."""
        ...

    def open_of_customer(self, customer_id: int, currency: str) -> list[Invoice]:
        """The customer's invoices in `currency` not void and not fully paid, oldest due first."""
        ...


class PaymentRepository(Repository["Payment"], Protocol):
    def by_ref(self, ref: str) -> Payment | None: ...

    def with_credit(self, customer_id: int, currency: str) -> list[Payment]:
        """The customer's payments in `currency` not fully allocated, oldest first."""
        ...


class ProductRepository(Repository["Product"], Protocol):
    def by_sku(self, sku: str) -> Product | None:
        """The product with this SKU (as `clean_sku` writes it)."""
        ...

    def search(self, text: str, limit: int) -> list[Product]:
        """Products whose SKU or name contains `text` (all when empty), by SKU."""
        ...

    def locked(self, ids: Sequence[int]) -> list[Product]:
        """The products, re-read and held until the transaction ends (in id order, so two
        deliveries never wait for each other in a circle)."""
        ...

    def reserved(self, ids: Sequence[int], excluding_order: int | None = None
                 ) -> dict[int, Decimal]:
        """Per product: what orders hold, ordered and not yet delivered."""
        ...

    def low(self, limit: int) -> list[tuple[Product, Decimal]]:
        """Active products whose free stock (on hand less reserved) is at or below their
        minimum, with that free stock, the shortest first."""
        ...

    def add_move(self, move: StockMove) -> None: ...

    def moves(self, product_id: int, limit: int) -> list[StockMove]:
        """The product's latest stock moves, newest first."""
        ...


class SurveyRepository(Repository["Survey"], Protocol):
    def of_order(self, order_id: int, user_id: int) -> Survey | None:
        """The survey asked of this contact about this order."""
        ...

    def latest_of_user(self, user_id: int) -> Survey | None:
        """The survey last asked of (or answered by) this contact."""
        ...


class CreditNoteRepository(Repository["CreditNote"], Protocol):
    def by_number(self, number: str) -> CreditNote | None: ...


class DocumentNumbers(Protocol):
    def next(self, series: str, year: int) -> int:
        """The next number of a series (INV, CN) in a year: 1, 2, 3, ... without gaps.

        Taken in the caller's transaction: a rollback gives the number back, and two
        transactions never get the same one.
        """
        ...


class Ledgers(Protocol):
    """A customer's cash records (orders, deliveries, invoices, payments) as one whole."""

    def lock(self, customer_id: int) -> None:
        """Hold the customer's cash records until the transaction ends, and re-read them.

        Call it before changing anything, so two changes never both read the same balance.
        """
        ...

    def lock_of_invoice(self, number: str) -> int | None:
        """`lock` the ledger of the customer this invoice belongs to, before the invoice is
        read (so it is read once, as the lock leaves it); the customer's id, None when there
        is no such invoice."""
        ...

    def currencies(self, customer_id: int) -> set[str]:
        """The currencies of the customer's orders."""
        ...


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with money still owed, as the chase sees it."""

    id: int
    number: str
    customer_id: int
    customer: str
    owner_id: int
    team: str | None
    currency: str
    outstanding: Decimal
    due_on: date


class DunningLog(Protocol):
    """Open invoices to chase and which dunning levels each has already reached."""

    def open_invoices(self, today: date, min_days_past_due: int) -> list[OpenInvoice]:
        """Invoices with money owed whose due date is at least this many days ago."""
        ...

    def marks(self, invoice_ids: list[int]) -> set[tuple[int, int]]:
        """(invoice id, level) pairs already chased."""
        ...

    def mark(self, invoice_id: int, level: int, on: date) -> None: ...

    def mark_all(self, marks: Sequence[tuple[int, int]], on: date) -> None:
        """Each (invoice id, level) as `mark` would record it, in one statement."""
        ...


class UnitOfWork(Protocol):
    """`with uow:` opens a transaction; leaving without `commit()` rolls it back.

    The one list of what a use case may reach. The stores are read-only properties, so an
    implementation holds its own repository types and still fits (mypy checks it does).
    """

    @property
    def users(self) -> UserRepository: ...
    @property
    def identities(self) -> IdentityRepository: ...
    @property
    def invites(self) -> InviteRepository: ...
    @property
    def link_codes(self) -> LinkCodeRepository: ...
    @property
    def leads(self) -> LeadRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def contacts(self) -> ContactRepository: ...
    @property
    def deals(self) -> DealRepository: ...
    @property
    def activities(self) -> Repository[Activity]: ...
    @property
    def reminders(self) -> ReminderRepository: ...
    @property
    def quotes(self) -> QuoteRepository: ...
    @property
    def orders(self) -> Repository[Order]: ...
    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def credit_notes(self) -> CreditNoteRepository: ...
    @property
    def products(self) -> ProductRepository: ...
    @property
    def surveys(self) -> SurveyRepository: ...
    @property
    def numbers(self) -> DocumentNumbers: ...
    @property
    def ledgers(self) -> Ledgers: ...
    @property
    def dunning(self) -> DunningLog: ...
    @property
    def spend(self) -> Repository[Spend]: ...
    @property
    def reports(self) -> DigestFigures: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def pool(self) -> PoolStore: ...

    events: list[Event]
    actor_id: int | None
    action: str
    at: datetime | None  # when the change is made, as the audit trail records it (None: now)

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def flush(self) -> None:
        """Assign ids to new records without committing."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

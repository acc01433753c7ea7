"""The SQLAlchemy unit of work: one session, one transaction, repositories over it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from domain.events import Event
from domain.model.activities import Activity
from domain.model.credit_notes import CreditNote
from domain.model.customers import Contact, Customer
from domain.model.deals import Deal
from domain.model.invoices import Invoice
from domain.model.leads import Lead
from domain.model.orders import Order
from domain.model.payments import Payment
from domain.model.products import Product
from domain.model.quotes import Quote
from domain.model.reminders import Reminder
from domain.model.satisfaction import Survey
from domain.model.spend import Spend
from domain.model.users import Identity, Invite, User
from storage import audit, repositories, search_index, settled
from storage.dialogs import SqlDialogs, SqlLinkCodes
from storage.dunning import SqlDunningLog
from storage.mapping import map_domain
from storage.pool import SqlPendingImports, SqlPool
from storage.queries import SqlQueries
from storage.queries_cash import SqlCashQueries
from storage.reports import SqlReports
from storage.repositories import (
    WROTE,
    SqlContacts,
    SqlCustomers,
    SqlDeals,
    SqlDeliveryLog,
    SqlIdentities,
    SqlInvites,
    SqlLeads,
    SqlOutbox,
    SqlQuotes,
    SqlReminders,
    SqlRepository,
    SqlUsers,
)
from storage.repositories_cash import (
    SqlCreditNotes,
    SqlDocumentNumbers,
    SqlInvoices,
    SqlLedgers,
    SqlPayments,
)
from storage.repositories_products import SqlProducts, SqlSurveys


class SqlUnitOfWork:
    """`with uow:` begins; `commit()` makes it durable; leaving without commit rolls back.

    Implements the chat unit of work (and with it the domain's); the stores it opens are
    typed there, not here.
    """

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self.events: list[Event] = []
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside `with`")
        return self._session

    def __enter__(self) -> SqlUnitOfWork:
        session = self.session_factory()
        self._session = session
        self.events = []
        self.users = SqlUsers(session, User)
        self.identities = SqlIdentities(session, Identity)
        self.invites = SqlInvites(session, Invite)
        self.leads = SqlLeads(session, Lead)
        self.customers = SqlCustomers(session, Customer)
        self.contacts = SqlContacts(session, Contact)
        self.deals = SqlDeals(session, Deal)
        self.activities = SqlRepository(session, Activity)
        self.reminders = SqlReminders(session, Reminder)
        self.quotes = SqlQuotes(session, Quote)
        self.orders = SqlRepository(session, Order)
        self.outbox = SqlOutbox(session)
        self.deliveries = SqlDeliveryLog(session)
        self.link_codes = SqlLinkCodes(session)
        self.dialogs = SqlDialogs(session)
        self.queries = SqlQueries(session)
        self.invoices = SqlInvoices(session, Invoice)
        self.payments = SqlPayments(session, Payment)
        self.credit_notes = SqlCreditNotes(session, CreditNote)
        self.numbers = SqlDocumentNumbers(session)
        self.ledgers = SqlLedgers(session)
        self.cash_queries = SqlCashQueries(session)
        self.dunning = SqlDunningLog(session)
        self.spend = SqlRepository(session, Spend)
        self.products = SqlProducts(session, Product)
        self.surveys = SqlSurveys(session, Survey)
        self.reports = SqlReports(session)
        self.pool = SqlPool(session)
        self.imports = SqlPendingImports(session)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self._session = None

    @property
    def actor_id(self) -> int | None:
        value = self.session.info.get("actor_id")
        return int(value) if value is not None else None

    @actor_id.setter
    def actor_id(self, value: int | None) -> None:
        self.session.info["actor_id"] = value

    @property
    def at(self) -> datetime | None:
        value = self.session.info.get("at")
        return value if isinstance(value, datetime) else None

    @at.setter
    def at(self, value: datetime | None) -> None:
        self.session.info["at"] = value

    @property
    def action(self) -> str:
        return str(self.session.info.get("action") or "")

    @action.setter
    def action(self, value: str) -> None:
        self.session.info["action"] = value

    def flush(self) -> None:
        self.session.flush()

    @contextmanager
    def trial(self) -> Iterator[None]:
        savepoint = self.session.begin_nested()
        try:
            yield
        finally:
            savepoint.rollback()
            self.session.expire_all()
            self.ledgers.forget()  # a lock taken inside may be released with the savepoint

    def commit(self) -> None:
        self.session.commit()
        self.ledgers.forget()

    def rollback(self) -> None:
        self.session.rollback()
        self.session.info.pop(WROTE, None)
        self.dialogs.forget()
        self.ledgers.forget()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to the engine, with the domain mapped and the audit trail on."""
    map_domain()
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    audit.install(Session)
    search_index.install(Session)
    settled.install(Session)
    repositories.install(Session)
    return factory
